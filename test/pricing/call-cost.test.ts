import { describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { loadFile } from '../../functions/ledger/load.js';
import { CallPricer, maxCachedModels } from '../../functions/pricing/call-cost.js';
import type { PricePeriod } from '../../functions/pricing/price-period.js';
import { addDays } from '../../functions/time/days.js';
import { ndjson, tempFolder } from '../support/tmp.js';

/** A negotiated period whose rates have all 9 decimals, so that rounding to the nano-dollar is exercised. */
function contract(provider: string | null, model: string, from: string | null, to: string | null): PricePeriod {
  return {
    provider, model, effective_from: from, effective_to: to,
    input_usd_per_mtok: '1.123456789', cached_input_usd_per_mtok: '0.111111111', cache_write_input_usd_per_mtok: '1.987654321',
    output_usd_per_mtok: '4.000000007', source: 'negotiated', catalog_model_id: null,
  };
}

const negotiated = [contract('openai', 'gpt-4o', '2026-03-01', '2026-06-01'), contract(null, 'claude-3-5-haiku-20241022', '2025-12-24', null)];

const models = [
  { provider: 'openai', model: 'gpt-4o' },
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022' },
  { provider: 'anthropic', model: 'claude-3-5-haiku-20241022' },
  { provider: null, model: 'gpt-4o-mini' },
  { provider: 'google', model: 'gemini-2.0-flash-001' },
  { provider: 'openai', model: 'a-model-no-catalog-knows' },
];

/** 300 calls over several models and a year of days, with cached and cache-write tokens, deterministic. */
const calls = Array.from({ length: 300 }, (_, i) => {
  const input = 1 + ((i * 7919) % 200_000);
  const cached = i % 3 === 0 ? 0 : (i * 31) % (input >> 1);
  const cacheWrite = i % 4 === 0 ? 0 : (i * 17) % (input - cached + 1);
  return {
    ts: `${addDays('2025-11-01', (i * 37) % 365)}T${String(i % 24).padStart(2, '0')}:15:00Z`,
    call_id: `p${i}`,
    ...models[i % models.length]!,
    input_tokens: input,
    cached_input_tokens: cached,
    cache_write_input_tokens: cacheWrite,
    output_tokens: (i * 131) % 9000,
  };
});

describe('the cost of a call in TypeScript', () => {
  it('equals the cost ai-finops load gives the same calls, to the nano-dollar, with the same source', async () => {
    const folder = tempFolder();
    const engine = await DuckDBEngine.open();
    try {
      await engine.ensureTables();
      await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson(calls)), { negotiated });
      const loaded = await engine.exec(`select call_id, cost_usd, cost_source from llm_calls order by call_id`);
      const pricer = new CallPricer(negotiated);
      const priced = calls
        .map((call) => ({ call_id: call.call_id, ...pricer.cost(call) }))
        .sort((a, b) => a.call_id.localeCompare(b.call_id));

      expect(new Set(priced.map((p) => p.cost_source))).toEqual(new Set(['catalog', 'negotiated', 'unpriced']));
      expect(priced).toEqual(loaded);
    } finally {
      await engine.close();
      folder.remove();
    }
  });

  it('keeps one entry per provider and model, whatever the days, and no more than maxCachedModels of them', () => {
    const pricer = new CallPricer(negotiated);
    const price = (model: string, day: string) =>
      pricer.cost({ provider: 'openai', model, ts: `${day}T00:00:00.000Z`, input_tokens: 1000, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 10 });
    const days = Array.from({ length: 400 }, (_, i) => addDays('2026-01-01', i));
    const costs = days.map((day) => price('gpt-4o', day).cost_source);
    expect(new Set(costs)).toEqual(new Set(['catalog', 'negotiated'])); // the day still picks the period
    expect(pricer.cachedModels).toBe(1);

    for (let i = 0; i < maxCachedModels + 50; i++) price(`made-up-${i}`, '2026-11-01');
    expect(pricer.cachedModels).toBeLessThanOrEqual(maxCachedModels);
    expect(price('gpt-4o', '2026-04-01')).toEqual(new CallPricer(negotiated).cost({
      provider: 'openai', model: 'gpt-4o', ts: '2026-04-01T00:00:00.000Z', input_tokens: 1000, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 10,
    }));
  });

  it('rounds half a nano-dollar up', () => {
    // 1 token at 0.0005 USD per million tokens is 500,000 femto-dollars: half a nano-dollar
    const half = { ...contract(null, 'm', null, null), input_usd_per_mtok: '0.0005' };
    const cost = new CallPricer([half]).cost({
      provider: null, model: 'm', ts: '2026-11-01T00:00:00.000Z', input_tokens: 1, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 0,
    });

    expect(cost).toEqual({ cost_usd: '0.000000001', cost_source: 'negotiated' });
  });
});
