import { describe, expect, it } from 'vitest';
import { adviseContext } from '../../functions/advise/advisor.js';
import type { Advice } from '../../functions/advise/advice.js';
import { routingAdvisor } from '../../functions/advise/routing.js';
import { parseFinopsConfig } from '../../functions/config/finops-config.js';
import { refreshStaleHours } from '../../functions/jobs/stale-days.js';
import type { Stream } from '../detect/support/scenario.js';
import { end, ledgerWith, runJob, scenario } from '../detect/support/workloads.js';

/**
 * Routing advice on generated ledgers: feature `support` runs 80% of its requests on Sonnet (quality 0.88) and 20% on
 * Haiku, at under a third of Sonnet's price; its quality bar is 0.8. Haiku's quality and how many of its calls are
 * scored change per case. The advice must name Haiku only when it passed the bar over enough scored calls.
 */

const config = parseFinopsConfig('version: 1\nfeatures:\n  support:\n    quality_bar: 0.8\n    fallback_models: [claude-3-5-haiku-latest]\n', 'test');
const sonnet: Stream = { feature: 'support', provider: 'anthropic', model: 'claude-sonnet-4-20250514', perDay: 400, inputTokens: 3000, outputTokens: 400, quality: 0.88 };
const haiku = (quality: number, qualityRate: number): Stream => ({
  feature: 'support', provider: 'anthropic', model: 'claude-3-5-haiku-latest', perDay: 100, inputTokens: 3000, outputTokens: 400, quality, qualityRate,
});

async function routing(haikuStream: Stream): Promise<{ advice: Advice[]; premium: string[] }> {
  const engine = await ledgerWith(scenario({ days: 60, streams: [sonnet, haikuStream] }));
  try {
    const context = { engine, config, asOf: end, now: () => new Date() };
    await refreshStaleHours(context, end, 'test');
    const advice = await routingAdvisor.advise(adviseContext(context));
    const detect = await runJob(engine, 'detect', end, config);
    return { advice, premium: detect.findings.filter((f) => f.kind === 'premium_model_default').map((f) => f.impact_usd_month!) };
  } finally {
    await engine.close();
  }
}

describe('routing advice', () => {
  it('names the cheaper model that passed the bar, with the saving premium_model_default reports (one computation)', async () => {
    const { advice, premium } = await routing(haiku(0.9, 0.3));
    expect(advice).toHaveLength(1);
    const [a] = advice;
    expect(a).toMatchObject({ key: 'routing:support:claude-sonnet-4-20250514', feature: 'support', subject: 'claude-sonnet-4-20250514' });
    expect(a!.inputs).toMatchObject({ route_from: 'claude-sonnet-4-20250514', route_to: 'claude-3-5-haiku-latest', quality_bar: 0.8, price_basis: 'price list' });
    expect(a!.saving_usd_month).toEqual(premium[0]);
    expect(Number(a!.saving_usd_month)).toBeGreaterThan(0);
    expect(a!.summary).toMatch(/^Route claude-sonnet-4-20250514 .* to claude-3-5-haiku-latest: it passed the bar of 0\.80/);
  }, 30_000);

  it('lists the models with their share of spend and their verdict against the bar', async () => {
    const { advice } = await routing(haiku(0.9, 0.3));
    const models = advice[0]!.inputs.models as { model: string; share_of_spend: number; verdict: string }[];
    expect(models.map((m) => [m.model, m.verdict])).toEqual([
      ['claude-sonnet-4-20250514', 'passes'],
      ['claude-3-5-haiku-latest', 'passes'],
    ]);
    expect(models[0]!.share_of_spend + models[1]!.share_of_spend).toBeCloseTo(1, 3);
    expect(models[0]!.share_of_spend).toBeGreaterThan(0.8); // 80% of the requests at over three times the price
  }, 30_000);

  it('does not name a cheaper model that failed the bar', async () => {
    const { advice, premium } = await routing(haiku(0.74, 0.3));
    expect(advice.map((a) => [a.saving_usd_month, a.inputs.route_to])).toEqual([[null, undefined]]);
    expect((advice[0]!.inputs.models as { verdict: string }[])[1]!.verdict).toBe('below bar');
    expect(advice[0]!.summary).toMatch(/^Stay on claude-sonnet-4-20250514 .*\(claude-3-5-haiku-latest 0\.74, below bar\)\.$/);
    expect(premium).toEqual([]);
  }, 30_000);

  it('does not name a cheaper model with too few scored calls, however good they were', async () => {
    const { advice } = await routing(haiku(0.95, 0.002));
    expect(advice.map((a) => a.saving_usd_month)).toEqual([null]);
    expect((advice[0]!.inputs.models as { verdict: string; scored_calls: number }[])[1]).toMatchObject({ verdict: 'too few scores' });
  }, 30_000);
});
