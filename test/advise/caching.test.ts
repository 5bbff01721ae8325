import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviseContext } from '../../functions/advise/advisor.js';
import { cachingAdvisor, weekOf } from '../../functions/advise/caching.js';
import type { Advice } from '../../functions/advise/advice.js';
import { sqlFile } from '../../functions/sql/files.js';
import { callRecord, configWithPrices, rolledUpLedger } from './support/ledgers.js';

/**
 * The caching advice on a ledger small enough to compute by hand. As of Thursday 2026-03-05, the window is the 28
 * days from 2026-02-05. Feature `bot` on big-model ($2 input, $0.50 cached-read per million tokens):
 *
 *   prefix p1: 1.0M (first: it writes the cache), 1.2M with 0.8M read, 1.1M with none, 0.5M with none.
 *              The cache served 0.8M of p1 at least once, so p1 is 0.8M long: the 1.1M call missed 0.8M, the 0.5M
 *              call missed all of its 0.5M (its prompt is shorter than the prefix). A p1 call on 2026-01-01, outside
 *              the window, read only 0.05M: were it counted, p1 would be 0.05M long.
 *   prefix p2: a single 2.0M call: not repeated, nothing to cache.
 *   prefix p3: 0.7M, 0.6M, 0.9M, never read from cache: at most 0.6M long (its shortest prompt); the two calls after
 *              the first missed 0.6M each.
 *   no prefix: a 3.0M call.
 *
 *   uncached prefix tokens = 0.8M + 0.5M + 1.2M = 2.5M; x ($2 - $0.50) / 1M = $3.75 in 28 days
 *   a month: $3.75 x (365/12) / 28 = $4.073661 (to the micro-dollar)
 *
 * Feature `search` on small-model, with no cached-read discount ($0.10 both): 0.4M missed but worth nothing: no advice.
 */

const asOf = '2026-03-05';
const M = 1_000_000;
const records = [
  callRecord({ day: '2026-01-01', prefix: 'p1', input: 0.1 * M, cached: 0.05 * M }),
  callRecord({ day: '2026-02-10', prefix: 'p1', input: 1.0 * M }),
  callRecord({ day: '2026-02-11', prefix: 'p1', input: 1.2 * M, cached: 0.8 * M }),
  callRecord({ day: '2026-02-12', prefix: 'p1', input: 1.1 * M }),
  callRecord({ day: '2026-02-13', prefix: 'p1', input: 0.5 * M }),
  callRecord({ day: '2026-02-14', prefix: 'p2', input: 2.0 * M }),
  callRecord({ day: '2026-02-16', prefix: 'p3', input: 0.7 * M }),
  callRecord({ day: '2026-02-17', prefix: 'p3', input: 0.6 * M }),
  callRecord({ day: '2026-02-18', prefix: 'p3', input: 0.9 * M }),
  callRecord({ day: '2026-02-19', prefix: null, input: 3.0 * M }),
  callRecord({ day: '2026-02-20', feature: 'search', model: 'small-model', prefix: 'p1', input: 0.4 * M }),
  callRecord({ day: '2026-02-21', feature: 'search', model: 'small-model', prefix: 'p1', input: 0.4 * M }),
];

describe('caching advice on a small ledger', () => {
  let ledger: Awaited<ReturnType<typeof rolledUpLedger>>;
  let prices: ReturnType<typeof configWithPrices>;
  let advice: Advice[];

  beforeAll(async () => {
    ledger = await rolledUpLedger(records, asOf);
    prices = configWithPrices('', ['acme,big-model,2,0.5,8', 'acme,small-model,0.1,0.1,0.4']);
    advice = await cachingAdvisor.advise(adviseContext(ledger.context(asOf, prices.config)));
  });
  afterAll(async () => {
    await ledger.close();
    prices.remove();
  });

  it('counts the tokens behind repeated prefixes that the cache did not serve, per feature and model', async () => {
    const rows = await ledger.engine.query(sqlFile('advise/uncached_prefix_tokens_by_feature_and_model.sql'), { from: '2026-02-05', to: asOf });
    expect(rows.map((r) => [r.feature, r.model, Number(r.repeat_calls), Number(r.uncached_prefix_tokens)])).toEqual([
      ['bot', 'big-model', 5, 2.5 * M],
      ['search', 'small-model', 1, 0.4 * M],
    ]);
  });

  it('prices them at the input rate less the cached-read rate, for a month', () => {
    expect(advice.map((a) => [a.key, a.saving_usd_month])).toEqual([['caching:bot:-', '4.073661000']]);
    expect(advice[0]!.inputs).toMatchObject({ uncached_prefix_tokens: 2.5 * M, input_tokens: 11 * M, removable_share: 0.2273 });
  });

  it('gives the cache hit rate week by week', () => {
    expect(advice[0]!.inputs.weekly_hit_rate).toEqual([
      { week: '2026-02-09', hit_rate: 0.1379 }, // 0.8M read of 5.8M
      { week: '2026-02-16', hit_rate: 0 },
    ]);
    expect(advice[0]!.summary).toMatch(/23% of the input tokens .* about \$4\.07 a month\. Cache hit rate by week: 14%, 0\.0%\./);
  });

  it('weeks start on Monday', () => {
    expect([weekOf('2026-03-05'), weekOf('2026-03-02'), weekOf('2026-03-01')]).toEqual(['2026-03-02', '2026-03-02', '2026-02-23']);
  });
});

/**
 * Which call of a prefix writes the cache when two start in the same second: the first by ts, then by call_id. Here
 * tie_a (1.0M, 0.2M of it read from the cache) and tie_b (1.0M, none read) start together, with no provider: the
 * prefix is 0.2M long (the cache served that much), so tie_b missed 0.2M and tie_a missed nothing. tie_a writes
 * the cache, so 0.2M is on the table; were tie_b the first, nothing would be.
 */
describe('caching advice when two calls of a prefix start together', () => {
  let ledger: Awaited<ReturnType<typeof rolledUpLedger>>;
  const tie = (call_id: string, cached: number) => ({ ...callRecord({ day: '2026-02-10', feature: 'tie', prefix: 'q', input: 1.0 * M, cached }), call_id, provider: null });
  beforeAll(async () => {
    ledger = await rolledUpLedger([tie('tie_b', 0), tie('tie_a', 0.2 * M)], asOf);
  });
  afterAll(() => ledger.close());

  it('takes the call with the smaller call_id as the one that writes the cache, with or without a provider', async () => {
    const rows = await ledger.engine.query(sqlFile('advise/uncached_prefix_tokens_by_feature_and_model.sql'), { from: '2026-02-05', to: asOf });
    expect(rows.map((r) => [r.feature, r.provider, Number(r.repeat_calls), Number(r.uncached_prefix_tokens)])).toEqual([['tie', null, 1, 0.2 * M]]);
  });
});
