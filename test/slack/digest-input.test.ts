import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DetectedFinding } from '../../functions/findings/finding.js';
import { recordFindings } from '../../functions/findings/store.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { digestInput } from '../../functions/slack/digest-input.js';
import { addDays } from '../../functions/time/days.js';
import { configFrom, testLedger } from '../support/ledger.js';
import { forecastRow } from './ledger-rows.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const config = configFrom(
  'version: 1\nfeatures:\n  chat:\n    owner: team-chat\n    unit_name: answer\n    budget_per_unit_usd: 1.50\n  search:\n    owner: team-search\n',
);

/**
 * Two weeks before Monday 2026-11-23, and a day on each side that the digest must leave out: chat spends $1 a day
 * with one answer the week before, $2 a day the week of, with half its input tokens read from the cache; search
 * (unit calls) only the week of, $0.50 a day; one call a day with no feature, $0.25.
 */
function calls(): object[] {
  const out: object[] = [];
  for (let d = -1; d < 15; d++) {
    const day = addDays('2026-11-09', d);
    const thisWeek = day >= '2026-11-16';
    const ts = `${day}T10:00:00Z`;
    out.push({ ts, call_id: `chat${d}`, feature: 'chat', segment: 'pro', model: 'm', input_tokens: 100, cached_input_tokens: thisWeek ? 50 : 0, output_tokens: 1, cost_usd: thisWeek ? '2' : '1' });
    if (thisWeek) out.push({ ts, call_id: `search${d}`, feature: 'search', segment: 'pro', model: 'm', input_tokens: 100, output_tokens: 1, cost_usd: '0.5' });
    out.push({ ts, call_id: `none${d}`, model: 'm', input_tokens: 100, output_tokens: 1, cost_usd: '0.25' });
  }
  return out;
}

function outcomes(): object[] {
  return Array.from({ length: 16 }, (_, d) => ({ ts: `${addDays('2026-11-08', d)}T12:00:00Z`, outcome_id: `o${d}`, feature: 'chat' }));
}

function detected(over: Partial<DetectedFinding>): DetectedFinding {
  return {
    key: 'k',
    kind: 'prompt_drift',
    severity: 'warn',
    feature: 'chat',
    subject: null,
    first_seen: '2026-11-10T00:00:00Z',
    last_seen: '2026-11-22T00:00:00Z',
    impact_usd_month: '10.000000000',
    summary: 's',
    evidence: {},
    ongoing: true,
    ...over,
  };
}

describe('the digest input', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(calls());
    await ledger.loadOutcomes(outcomes());
    // the outcome of 2026-11-23 and the call of 2026-11-23 land too, but the digest of 2026-11-23 must not count them
    await ledger.loadCalls([{ ts: '2026-11-23T01:00:00Z', call_id: 'late', feature: 'chat', segment: 'pro', model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: '100' }]);
    await runRollup(ledger.context('2026-11-24'));
  });
  afterEach(() => ledger.close());

  it('covers the 7 days before the as-of day and the 7 before them', async () => {
    const input = await digestInput(ledger.context('2026-11-23', config));
    expect(input.week).toEqual({ from: '2026-11-16', to: '2026-11-23' });
    expect(input.previousWeek).toEqual({ from: '2026-11-09', to: '2026-11-16' });
  });

  it('sums each feature over both weeks exactly, with its unit name, owner and budget from config', async () => {
    const { features } = await digestInput(ledger.context('2026-11-23', config));
    expect(features.map((f) => f.feature)).toEqual(['chat', 'search', null]);
    expect(features[0]).toEqual({
      feature: 'chat',
      unit: 'outcomes',
      unit_name: 'answer',
      owner: 'team-chat',
      budget_per_unit_usd: '1.50',
      spend_usd: '14.000000000',
      previous_spend_usd: '7.000000000',
      calls: 7,
      previous_calls: 7,
      outcomes: 7,
      previous_outcomes: 7,
      cost_per_outcome_usd: '2.000000000',
      previous_cost_per_outcome_usd: '1.000000000',
      input_tokens: 700,
      cached_input_tokens: 350,
      previous_input_tokens: 700,
      previous_cached_input_tokens: 0,
      unpriced_calls: 0,
    });
    expect(features[1]).toMatchObject({ feature: 'search', unit: 'calls', unit_name: 'ok call', spend_usd: '3.500000000', previous_spend_usd: '0.000000000', outcomes: 7, previous_cost_per_outcome_usd: null });
    expect(features[2]).toMatchObject({ feature: null, owner: null, spend_usd: '1.750000000', previous_spend_usd: '1.750000000' });
  });

  it("takes the total's forecast of the month from the latest run on or before the as-of day", async () => {
    await ledger.engine.insertRows('forecasts', [
      forecastRow({ run_date: '2026-11-16', mean_usd: '90' }),
      forecastRow({ run_date: '2026-11-23', mean_usd: '100' }),
      forecastRow({ run_date: '2026-11-23', scope: 'feature', scope_value: 'chat', mean_usd: '60' }),
      forecastRow({ run_date: '2026-11-23', target_month: '2026-12-01', horizon_months: 1, mean_usd: '130' }),
      forecastRow({ run_date: '2026-11-30', mean_usd: '110' }),
    ]);
    const { forecast } = await digestInput(ledger.context('2026-11-23', config));
    expect(forecast).toMatchObject({ scope: 'total', scope_value: null, target_month: '2026-11-01', run_date: '2026-11-23', mean_usd: '100.000000000' });
  });

  it('has no forecast when the latest is more than five weeks old', async () => {
    await ledger.engine.insertRows('forecasts', [forecastRow({ run_date: '2026-10-12', target_month: '2026-11-01', horizon_months: 1 })]);
    expect((await digestInput(ledger.context('2026-11-23', config))).forecast).toBeNull();
  });

  it('lists the open findings only, largest monthly impact first, each with its owner', async () => {
    await recordFindings(ledger.engine, {
      asOf: '2026-11-23',
      now: new Date('2026-11-23T03:00:00Z'),
      resolves: [],
      seen: [
        detected({ key: 'small', impact_usd_month: '5.000000000' }),
        detected({ key: 'large', feature: 'search', impact_usd_month: '50.000000000' }),
        detected({ key: 'over', impact_usd_month: '500.000000000', ongoing: false }),
        detected({ key: 'nobody', feature: null, impact_usd_month: '20.000000000' }),
      ],
    });
    const { findings } = await digestInput(ledger.context('2026-11-23', config));
    expect(findings.map((f) => [f.finding.key, f.owner])).toEqual([
      ['large', 'team-search'],
      ['nobody', null],
      ['small', 'team-chat'],
    ]);
  });
});
