import { describe, expect, it } from 'vitest';
import { adviseContext } from '../../functions/advise/advisor.js';
import type { Advice } from '../../functions/advise/advice.js';
import { commitAdvisor } from '../../functions/advise/commit.js';
import { fullMonths, monthsFrom } from '../../functions/advise/monthly.js';
import { usd } from '../../functions/detect/estimates.js';
import { parseFinopsConfig } from '../../functions/config/finops-config.js';
import type { Scenario, Stream } from '../detect/support/scenario.js';
import { when } from '../detect/support/scenario.js';
import { scenario } from '../detect/support/workloads.js';
import { rolledUpScenario } from './support/ledgers.js';

/**
 * Commit advice on generated ledgers ending 2026-06-01 (the run on the 1st of June): a support assistant on Sonnet
 * (the dominant model, about 90% of the spend) and a search feature on Gemini Flash (a few percent), with weekly
 * seasonality, 0.3% growth a day and noise.
 */

const config = parseFinopsConfig('version: 1\nadvice:\n  commit_discount: 0.25\n', 'test');
const streams: Stream[] = [
  { feature: 'support', provider: 'anthropic', model: 'claude-sonnet-4-20250514', perDay: 150, inputTokens: 3000, outputTokens: 400, cacheHit: 0.3 },
  { feature: 'search', provider: 'google', model: 'gemini-2.5-flash', perDay: 150, inputTokens: 900, outputTokens: 120 },
];

async function commitAdvice(s: Scenario, withConfig = config): Promise<Advice[]> {
  const engine = await rolledUpScenario(s);
  try {
    return await commitAdvisor.advise(adviseContext({ engine, config: withConfig, asOf: s.end, now: () => new Date() }));
  } finally {
    await engine.close();
  }
}

describe('commit advice', () => {
  it('appears after three stable full months, for the dominant model only', async () => {
    const advice = await commitAdvice(scenario({ days: 130, streams, seed: 5 })); // from 2026-01-22: February to May in full
    expect(advice.map((a) => a.key)).toEqual(['commit:-:claude-sonnet-4-20250514']);
    const inputs = advice[0]!.inputs as {
      months: { month: string; spend_usd: string }[];
      forecast_months: { p10_usd: string }[];
      commitment_usd_month: string;
      variation: number;
      share_of_spend: number;
    };
    expect(inputs.months.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04', '2026-05']);
    expect(inputs.variation).toBeLessThanOrEqual(0.25);
    expect(inputs.share_of_spend).toBeGreaterThan(0.8);
    // the saving is the commitment at the configured discount
    expect(advice[0]!.saving_usd_month).toBe(usd(Number(inputs.commitment_usd_month) * 0.25));
    // a conservative commitment: never above the last full month's spend (growth is not committed to ahead), nor
    // above any forecast month's 10th percentile
    const may = Number(inputs.months.at(-1)!.spend_usd);
    const commitment = Number(inputs.commitment_usd_month);
    expect(commitment).toBeLessThanOrEqual(may);
    expect(commitment).toBeGreaterThan(may - 0.01);
    for (const m of inputs.forecast_months) expect(commitment).toBeLessThanOrEqual(Number(m.p10_usd));
    expect(advice[0]!.summary).toMatch(/Risk: below \$[\d,.]+ in a month the deal costs more than list prices/);
  }, 60_000);

  it('does not appear with two full months', async () => {
    expect(await commitAdvice(scenario({ days: 75, streams, seed: 5 }))).toEqual([]); // from 2026-03-18: April and May
  }, 60_000);

  it('does not appear when monthly consumption is unstable', async () => {
    // April at a third of the volume: the months' spend per day varies far more than 25%
    const slump = when('support', 61, (row) => ({ ...row, requests: Math.floor(row.requests / 3) }), { until: 31 });
    expect(await commitAdvice(scenario({ days: 130, streams, seed: 5, effects: [slump] }))).toEqual([]);
  }, 60_000);
});

describe('commit advice beside routing advice', () => {
  it('leaves out the traffic that routing advice moves to a cheaper model', async () => {
    // support's Sonnet traffic can move to Haiku, which passed its bar: only the writer's Sonnet spend is committed to
    const routing = parseFinopsConfig('version: 1\nfeatures:\n  support:\n    quality_bar: 0.8\n', 'test');
    const withHaiku: Stream[] = [
      { ...streams[0]!, quality: 0.88 },
      { feature: 'support', provider: 'anthropic', model: 'claude-3-5-haiku-latest', perDay: 40, inputTokens: 3000, outputTokens: 400, quality: 0.9 },
      { ...streams[0]!, feature: 'writer', perDay: 300 },
    ];
    const advice = await commitAdvice(scenario({ days: 130, streams: withHaiku, seed: 5 }), routing);
    expect(advice.map((a) => [a.key, a.inputs.routed_away])).toEqual([
      ['commit:-:claude-sonnet-4-20250514', [{ feature: 'support', to: 'claude-3-5-haiku-latest' }]],
    ]);
    expect(advice[0]!.summary).toMatch(/leaving out support, which routing advice moves to claude-3-5-haiku-latest/);
    // about two thirds of all spend: the writer's 300 requests a day of the 490
    expect(advice[0]!.inputs.share_of_spend).toBeGreaterThan(0.5);
    expect(advice[0]!.inputs.share_of_spend).toBeLessThan(0.75);
  }, 60_000);
});

describe('calendar months', () => {
  it('counts only the months consumed in full', () => {
    expect(fullMonths('2026-01-22', '2026-06-01')).toEqual(['2026-02', '2026-03', '2026-04', '2026-05']);
    expect(fullMonths('2026-02-01', '2026-05-15')).toEqual(['2026-02', '2026-03', '2026-04']);
    expect(fullMonths('2026-05-02', '2026-06-01')).toEqual([]);
  });

  it('a commitment made on the first covers that month; later in a month, from the next', () => {
    expect(monthsFrom('2026-06-01', 3)).toEqual(['2026-06', '2026-07', '2026-08']);
    expect(monthsFrom('2026-11-26', 3)).toEqual(['2026-12', '2027-01', '2027-02']);
  });
});
