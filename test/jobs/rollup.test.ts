import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRollup } from '../../functions/jobs/rollup.js';
import { configFrom, testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const call = (o: Record<string, unknown>) => ({
  model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 10, cost_usd: '0.01', ...o,
});

describe('the rollup job', () => {
  let ledger: Ledger;
  beforeEach(async () => (ledger = await testLedger()));
  afterEach(() => ledger.close());

  it('turns calls and outcomes into cost per outcome by day and feature', async () => {
    await ledger.loadCalls([
      // support_bot: one request retried once (2 attempts), one clean request; both segments known
      call({ ts: '2026-03-02T09:00:00Z', call_id: 'a1', request_id: 'r1', attempt: 1, status: 'timeout', feature: 'support_bot', segment: 'pro', cost_usd: '0.10' }),
      call({ ts: '2026-03-02T09:00:05Z', call_id: 'a2', request_id: 'r1', attempt: 2, feature: 'support_bot', segment: 'pro', cost_usd: '0.20' }),
      call({ ts: '2026-03-02T10:00:00Z', call_id: 'a3', feature: 'support_bot', segment: 'free', cost_usd: '0.30', input_tokens: 1000, cached_input_tokens: 400 }),
      // search: unit calls (no outcomes), one call without a segment
      call({ ts: '2026-03-02T11:00:00Z', call_id: 'b1', feature: 'search', segment: 'pro', cost_usd: '0.01' }),
      call({ ts: '2026-03-02T11:00:00Z', call_id: 'b2', feature: 'search', cost_usd: '0.02' }),
      // no feature at all
      call({ ts: '2026-03-02T12:00:00Z', call_id: 'n1', cost_usd: '0.05' }),
    ]);
    await ledger.loadOutcomes([
      { ts: '2026-03-02T09:10:00Z', outcome_id: 'o1', feature: 'support_bot', segment: 'pro', value_usd: '6.50' },
      { ts: '2026-03-02T10:10:00Z', outcome_id: 'o2', feature: 'support_bot', segment: 'free', succeeded: false },
    ]);
    const result = await runRollup(ledger.context('2026-03-03'));
    expect(result).toMatchObject({ job: 'rollup', as_of: '2026-03-03', calls: 6, spend_usd: '0.680000000', reconciled: true });

    const rows = await ledger.engine.exec(
      `select feature, unit, spend_usd, retry_spend_usd, unattributed_spend_usd, calls, requests, ok_requests, outcomes,
         outcome_value_usd, cost_per_outcome_usd, cache_hit_rate
       from cost_per_outcome_by_day where day = '2026-03-02' order by feature nulls last`,
    );
    expect(rows).toEqual([
      { feature: 'search', unit: 'calls', spend_usd: '0.030000000', retry_spend_usd: '0.000000000', unattributed_spend_usd: '0.020000000',
        calls: 2, requests: 2, ok_requests: 2, outcomes: 2, outcome_value_usd: '0.000000000', cost_per_outcome_usd: '0.015000000', cache_hit_rate: 0 },
      { feature: 'support_bot', unit: 'outcomes', spend_usd: '0.600000000', retry_spend_usd: '0.200000000', unattributed_spend_usd: '0.000000000',
        calls: 3, requests: 2, ok_requests: 2, outcomes: 1, outcome_value_usd: '6.500000000', cost_per_outcome_usd: '0.600000000', cache_hit_rate: 400 / 1200 },
      { feature: null, unit: 'calls', spend_usd: '0.050000000', retry_spend_usd: '0.000000000', unattributed_spend_usd: '0.050000000',
        calls: 1, requests: 1, ok_requests: 1, outcomes: 1, outcome_value_usd: '0.000000000', cost_per_outcome_usd: '0.050000000', cache_hit_rate: 0 },
    ]);
  });

  it('measures a feature in calls when the config says so, even with outcomes', async () => {
    await ledger.loadCalls([call({ ts: '2026-03-02T09:00:00Z', call_id: 'a1', feature: 'support_bot', segment: 'pro' })]);
    await ledger.loadOutcomes([{ ts: '2026-03-02T09:10:00Z', outcome_id: 'o1', feature: 'support_bot' }]);
    const config = configFrom('version: 1\nfeatures:\n  support_bot:\n    unit: calls\n');
    await runRollup(ledger.context('2026-03-03', config));
    expect(await ledger.engine.exec(`select unit, outcomes from cost_per_outcome_by_day`)).toEqual([{ unit: 'calls', outcomes: 1 }]);
  });

  it('leaves identical tables when run twice', async () => {
    await ledger.loadCalls(
      Array.from({ length: 500 }, (_, i) =>
        call({ ts: `2026-03-0${1 + (i % 3)}T${String(i % 24).padStart(2, '0')}:00:00Z`, call_id: `c${i}`, feature: `f${i % 4}`, segment: `s${i % 3}`, cost_usd: `0.00${i}` }),
      ),
    );
    const snapshot = async () =>
      ledger.engine.exec(`select * from calls_by_day order by all`).then(async (a) => [a, await ledger.engine.exec(`select * from cost_per_outcome_by_day order by all`)]);
    await runRollup(ledger.context('2026-03-04'));
    const first = await snapshot();
    await runRollup(ledger.context('2026-03-04'));
    expect(await snapshot()).toEqual(first);
  });

  it('takes in late rows for a day outside its trailing window', async () => {
    await ledger.loadCalls([call({ ts: '2026-03-01T09:00:00Z', call_id: 'a1', feature: 'f', segment: 's' })]);
    await runRollup(ledger.context('2026-03-02'));
    // a week later, a late row for March 1st arrives; the trailing window (3 days) no longer covers that day
    await ledger.loadCalls([call({ ts: '2026-03-01T10:00:00Z', call_id: 'late', feature: 'f', segment: 's', cost_usd: '1.00' })]);
    const result = await runRollup(ledger.context('2026-03-09'));
    expect(result.ranges).toContainEqual({ from: '2026-03-01', to: '2026-03-02' });
    expect(await ledger.engine.exec(`select spend_usd, calls from cost_per_outcome_by_day where day = '2026-03-01'`)).toEqual([
      { spend_usd: '1.010000000', calls: 2 },
    ]);
    // and once taken in, the day is no longer pending
    const again = await runRollup(ledger.context('2026-03-09'));
    expect(again.ranges).toEqual([{ from: '2026-03-06', to: '2026-03-09' }]);
  });

  it('rolls up only the days before its as-of day, keeping later ones pending', async () => {
    await ledger.loadCalls([
      call({ ts: '2026-03-01T09:00:00Z', call_id: 'a1' }),
      call({ ts: '2026-03-05T09:00:00Z', call_id: 'a2' }),
    ]);
    await runRollup(ledger.context('2026-03-03'));
    expect(await ledger.engine.exec(`select distinct day from cost_per_outcome_by_day`)).toEqual([{ day: '2026-03-01' }]);
    expect(await ledger.engine.exec(`select day from pending_days`)).toEqual([{ day: '2026-03-05' }]);
  });

  it('reconciles with the raw calls to the cent on many small, odd amounts', async () => {
    const amounts = Array.from({ length: 3000 }, (_, i) => `0.${String((i * 7919) % 1_000_000_000).padStart(9, '0')}`);
    await ledger.loadCalls(
      amounts.map((cost, i) => call({ ts: `2026-03-0${1 + (i % 5)}T10:00:00Z`, call_id: `c${i}`, feature: i % 7 ? `f${i % 5}` : undefined, segment: i % 3 ? 's' : undefined, attempt: 1 + (i % 2), cost_usd: cost })),
    );
    const result = await runRollup(ledger.context('2026-03-06'));
    const [raw] = await ledger.engine.exec(`select sum(cost_usd) as total from llm_calls`);
    expect(result.spend_usd).toBe(raw!.total);
    const [rolled] = await ledger.engine.exec(`select sum(spend_usd) as total from cost_per_outcome_by_day`);
    expect(rolled!.total).toBe(raw!.total);
  });
});
