import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { refreshCallsByHour } from '../../functions/jobs/stale-days.js';
import { sqlFile } from '../../functions/sql/files.js';
import { testLedger } from '../support/ledger.js';

/**
 * Every detector query in sql/detect/, as given rows -> expected rows: a handful of calls through the real loader,
 * each query run on DuckDB, every column of its answer checked.
 */

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const call = (o: Record<string, unknown>) => ({
  model: 'gpt-4o-mini', provider: 'openai', input_tokens: 100, output_tokens: 10, cost_usd: '0.010000000', ...o,
});

const calls = [
  // support, 2026-03-02 09:xx: one request retried twice (3 attempts), one clean scored request
  call({ ts: '2026-03-02T09:00:00Z', call_id: 'a1', request_id: 'r1', attempt: 1, status: 'timeout', feature: 'support', segment: 'pro', customer_id: 'c1', prompt_id: 'p@1', prompt_prefix_hash: 'h1', cost_usd: '0.100000000' }),
  call({ ts: '2026-03-02T09:00:30Z', call_id: 'a2', request_id: 'r1', attempt: 2, status: 'error', feature: 'support', segment: 'pro', customer_id: 'c1', prompt_id: 'p@1', prompt_prefix_hash: 'h1', cost_usd: '0.200000000' }),
  call({ ts: '2026-03-02T09:01:00Z', call_id: 'a3', request_id: 'r1', attempt: 3, feature: 'support', segment: 'pro', customer_id: 'c1', prompt_id: 'p@1', prompt_prefix_hash: 'h1', cost_usd: '0.300000000', input_tokens: 1000, cached_input_tokens: 400 }),
  call({ ts: '2026-03-02T09:30:00Z', call_id: 'b1', feature: 'support', segment: 'free', customer_id: 'c2', prompt_id: 'p@1', prompt_prefix_hash: 'h1', quality: 0.5, input_tokens: 300, cached_input_tokens: 100 }),
  // support, 2026-03-03 10:xx: a new prefix hash, a call with no segment, on another model
  call({ ts: '2026-03-03T10:00:00Z', call_id: 'b2', feature: 'support', prompt_id: 'p@1', prompt_prefix_hash: 'h2', model: 'gpt-4o', quality: 1, cost_usd: '0.050000000' }),
  // no feature, and an unpriced model
  call({ ts: '2026-03-02T11:00:00Z', call_id: 'n1', segment: 'pro', cost_usd: '0.050000000' }),
  call({ ts: '2026-03-02T12:00:00Z', call_id: 'u1', feature: 'search', segment: 'pro', provider: 'acme', model: 'acme-llm-9000', cost_usd: undefined, input_tokens: 900, output_tokens: 100 }),
  // outside every window below
  call({ ts: '2026-03-05T00:00:00Z', call_id: 'late', feature: 'support', segment: 'pro' }),
];

describe('the detector queries', () => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(calls);
    await ledger.loadOutcomes([
      { ts: '2026-03-02T09:10:00Z', outcome_id: 'o1', feature: 'support' },
      { ts: '2026-03-02T09:20:00Z', outcome_id: 'o2', feature: 'support', succeeded: false },
      { ts: '2026-03-03T09:20:00Z', outcome_id: 'o3', feature: 'support' },
    ]);
  });
  afterAll(() => ledger.close());

  const query = (file: string, params: Record<string, string | string[]>) => ledger.engine.query(sqlFile(`detect/${file}.sql`), params);
  const window = { from: '2026-03-02', to: '2026-03-04' };
  const byKey = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => JSON.stringify(Object.values(a)).localeCompare(JSON.stringify(Object.values(b))));

  it('calls_by_hour_prompt_and_model: per hour, feature, prompt and model, requests and retries, ok-call tokens, quality sums and unpriced tokens, from the rollup the jobs refresh', async () => {
    const zero = { retried_requests: 0, retry_calls: 0, failed_calls: 0, retry_spend_usd: '0.000000000', no_segment_spend_usd: '0.000000000', unpriced_calls: 0, unpriced_tokens: 0, cache_write_input_tokens: 0, cached_input_tokens: 0, ok_cached_input_tokens: 0 };
    expect(await query('calls_by_hour_prompt_and_model', window)).toEqual([]);
    await refreshCallsByHour({ engine: ledger.engine, config: defaultConfig, asOf: window.to, now: () => new Date() }, [window], 'test');
    expect(byKey(await query('calls_by_hour_prompt_and_model', window))).toEqual(byKey([
      { hour: '2026-03-02T09:00:00.000Z', feature: 'support', prompt_id: 'p@1', provider: 'openai', model: 'gpt-4o-mini', calls: 4, requests: 2, ok_requests: 2, retried_requests: 1, retry_calls: 2, failed_calls: 2, spend_usd: '0.610000000', retry_spend_usd: '0.500000000', no_segment_spend_usd: '0.000000000', unpriced_calls: 0, unpriced_tokens: 0, priced_tokens: 1540, input_tokens: 1500, cached_input_tokens: 500, cache_write_input_tokens: 0, output_tokens: 40, ok_input_tokens: 1300, ok_cached_input_tokens: 500, ok_output_tokens: 20, ok_spend_usd: '0.310000000', quality_sum: 0.5, quality_sq_sum: 0.25, quality_n: 1 },
      { hour: '2026-03-03T10:00:00.000Z', feature: 'support', prompt_id: 'p@1', provider: 'openai', model: 'gpt-4o', calls: 1, requests: 1, ok_requests: 1, ...zero, spend_usd: '0.050000000', no_segment_spend_usd: '0.050000000', priced_tokens: 110, input_tokens: 100, output_tokens: 10, ok_input_tokens: 100, ok_output_tokens: 10, ok_spend_usd: '0.050000000', quality_sum: 1, quality_sq_sum: 1, quality_n: 1 },
      { hour: '2026-03-02T11:00:00.000Z', feature: null, prompt_id: null, provider: 'openai', model: 'gpt-4o-mini', calls: 1, requests: 1, ok_requests: 1, ...zero, spend_usd: '0.050000000', priced_tokens: 110, input_tokens: 100, output_tokens: 10, ok_input_tokens: 100, ok_output_tokens: 10, ok_spend_usd: '0.050000000', quality_sum: 0, quality_sq_sum: 0, quality_n: 0 },
      { hour: '2026-03-02T12:00:00.000Z', feature: 'search', prompt_id: null, provider: 'acme', model: 'acme-llm-9000', calls: 1, requests: 1, ok_requests: 1, ...zero, spend_usd: '0.000000000', unpriced_calls: 1, unpriced_tokens: 1000, priced_tokens: 0, input_tokens: 900, output_tokens: 100, ok_input_tokens: 900, ok_output_tokens: 100, ok_spend_usd: '0.000000000', quality_sum: 0, quality_sq_sum: 0, quality_n: 0 },
    ]));
  });

  it('calls_by_day_prompt_and_model: the hour rows summed per day, every sum', async () => {
    const hours = await query('calls_by_hour_prompt_and_model', window);
    const days = await query('calls_by_day_prompt_and_model', window);
    const key = (r: Record<string, unknown>) => JSON.stringify([String(r.day ?? r.hour).slice(0, 10), r.feature, r.prompt_id, r.provider, r.model]);
    expect(days.map(key).sort()).toEqual([...new Set(hours.map(key))].sort());
    for (const day of days) {
      const mine = hours.filter((h) => key(h) === key(day));
      for (const [column, value] of Object.entries(day)) {
        if (['day', 'feature', 'prompt_id', 'provider', 'model'].includes(column)) continue;
        expect(Number(value), column).toBeCloseTo(mine.reduce((sum, h) => sum + Number(h[column]), 0), 9);
      }
    }
    expect(days).toContainEqual(expect.objectContaining({ day: '2026-03-02', feature: 'support', model: 'gpt-4o-mini', calls: 4, requests: 2, spend_usd: '0.610000000', quality_n: 1 }));
  });

  it('calls_by_hour_and_feature: calls, requests and spend per hour and feature, over every prompt and model', async () => {
    expect(byKey(await query('calls_by_hour_and_feature', window))).toEqual(byKey([
      { hour: '2026-03-02T09:00:00.000Z', feature: 'support', calls: 4, requests: 2, spend_usd: '0.610000000' },
      { hour: '2026-03-03T10:00:00.000Z', feature: 'support', calls: 1, requests: 1, spend_usd: '0.050000000' },
      { hour: '2026-03-02T11:00:00.000Z', feature: null, calls: 1, requests: 1, spend_usd: '0.050000000' },
      { hour: '2026-03-02T12:00:00.000Z', feature: 'search', calls: 1, requests: 1, spend_usd: '0.000000000' },
    ]));
  });

  it('retry_attempts_by_hour: one row per attempt number above 1', async () => {
    expect(byKey(await query('retry_attempts_by_hour', window))).toEqual(byKey([
      { hour: '2026-03-02T09:00:00.000Z', feature: 'support', model: 'gpt-4o-mini', attempt: 2, calls: 1, spend_usd: '0.200000000' },
      { hour: '2026-03-02T09:00:00.000Z', feature: 'support', model: 'gpt-4o-mini', attempt: 3, calls: 1, spend_usd: '0.300000000' },
    ]));
  });

  it('prefix_hashes_by_day: the cache hit parts and the prefixes new to the window, per day and feature', async () => {
    expect(byKey(await query('prefix_hashes_by_day', window))).toEqual(byKey([
      { day: '2026-03-02', feature: 'support', calls: 4, input_tokens: 1500, cached_input_tokens: 500, prefix_hashes: 1, new_prefix_hashes: 1 },
      { day: '2026-03-03', feature: 'support', calls: 1, input_tokens: 100, cached_input_tokens: 0, prefix_hashes: 1, new_prefix_hashes: 1 },
      { day: '2026-03-02', feature: 'search', calls: 1, input_tokens: 900, cached_input_tokens: 0, prefix_hashes: 0, new_prefix_hashes: 0 },
    ]));
  });

  it("spend_by_slice: one feature's spend by day and each of model, segment, prompt and customer", async () => {
    expect(byKey(await query('spend_by_slice', { ...window, feature: 'support', days: ['2026-03-02', '2026-03-03'] }))).toEqual(byKey([
      { day: '2026-03-02', dimension: 'model', value: 'gpt-4o-mini', spend_usd: '0.610000000' },
      { day: '2026-03-03', dimension: 'model', value: 'gpt-4o', spend_usd: '0.050000000' },
      { day: '2026-03-02', dimension: 'segment', value: 'pro', spend_usd: '0.600000000' },
      { day: '2026-03-02', dimension: 'segment', value: 'free', spend_usd: '0.010000000' },
      { day: '2026-03-03', dimension: 'segment', value: null, spend_usd: '0.050000000' },
      { day: '2026-03-02', dimension: 'prompt_id', value: 'p@1', spend_usd: '0.610000000' },
      { day: '2026-03-03', dimension: 'prompt_id', value: 'p@1', spend_usd: '0.050000000' },
      { day: '2026-03-02', dimension: 'customer_id', value: 'c1', spend_usd: '0.600000000' },
      { day: '2026-03-02', dimension: 'customer_id', value: 'c2', spend_usd: '0.010000000' },
      { day: '2026-03-03', dimension: 'customer_id', value: null, spend_usd: '0.050000000' },
    ]));
  });

  it('spend_by_slice: only the days asked for', async () => {
    const rows = await query('spend_by_slice', { ...window, feature: 'support', days: ['2026-03-03'] });
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(['2026-03-03']));
  });

  it("spend_by_slice: '' stands for the calls with no feature", async () => {
    expect(await query('spend_by_slice', { ...window, feature: '', days: ['2026-03-02'] })).toContainEqual({ day: '2026-03-02', dimension: 'model', value: 'gpt-4o-mini', spend_usd: '0.050000000' });
  });

  it('outcomes_by_day: succeeded outcomes per day and feature', async () => {
    expect(byKey(await query('outcomes_by_day', window))).toEqual(byKey([
      { day: '2026-03-02', feature: 'support', outcomes: 1 },
      { day: '2026-03-03', feature: 'support', outcomes: 1 },
    ]));
  });

  it("latest_feature_forecasts: each feature's forecast of the month from its latest refit", async () => {
    const row = (run: string, feature: string, mean: string) =>
      `('${run}', 'feature', '${feature}', '2026-03-01', 0, 'ETS(A,N,A)', 60, 1, 10, ${mean}, 1, 2, 0, 3, now())`;
    await ledger.engine.exec(
      `insert into forecasts (run_date, scope, scope_value, target_month, horizon_months, method, history_days, data_weight,
         actual_to_date_usd, mean_usd, lo80_usd, hi80_usd, lo95_usd, hi95_usd, fitted_at)
       values ${[row('2026-02-23', 'support', '100'), row('2026-03-02', 'support', '120'), row('2026-03-09', 'support', '999'), row('2026-02-23', 'search', '5')].join(', ')}`,
    );
    expect(byKey(await query('latest_feature_forecasts', { from: '2026-02-20', as_of: '2026-03-04', month: '2026-03-01' }))).toEqual(byKey([
      { feature: 'support', run_date: '2026-03-02', method: 'ETS(A,N,A)', actual_to_date_usd: '10.000000000', mean_usd: '120.000000000', lo80_usd: '1.000000000', hi80_usd: '2.000000000' },
      { feature: 'search', run_date: '2026-02-23', method: 'ETS(A,N,A)', actual_to_date_usd: '10.000000000', mean_usd: '5.000000000', lo80_usd: '1.000000000', hi80_usd: '2.000000000' },
    ]));
  });
});
