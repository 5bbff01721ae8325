import { waitForUpdate } from '@pydantic/genai-prices';
import { describe, expect, it, vi } from 'vitest';
import { catalogPrices, catalogProviderId } from '../../functions/pricing/catalog.js';
import { RATE_PATTERN, type PricePeriod } from '../../functions/pricing/price-period.js';

type Rates = Pick<
  PricePeriod,
  'input_usd_per_mtok' | 'cached_input_usd_per_mtok' | 'cache_write_input_usd_per_mtok' | 'output_usd_per_mtok'
>;

const rates = (input: string, cached: string, cacheWrite: string, output: string): Rates => ({
  input_usd_per_mtok: input,
  cached_input_usd_per_mtok: cached,
  cache_write_input_usd_per_mtok: cacheWrite,
  output_usd_per_mtok: output,
});

describe('catalogPrices', () => {
  // Published rates, checked against the data bundled with @pydantic/genai-prices 0.1.8.
  const published: { name: string; provider: string | null; model: string; expected: Rates; catalog: string }[] = [
    {
      name: 'gpt-4o-mini costs 0.15 in, 0.075 cached, 0.6 out, and cache writes cost the input rate',
      provider: 'openai', model: 'gpt-4o-mini', expected: rates('0.15', '0.075', '0.15', '0.6'), catalog: 'openai:gpt-4o-mini',
    },
    {
      name: 'claude-3-5-sonnet costs 3 in, 0.3 cache read, 3.75 cache write, 15 out',
      provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', expected: rates('3', '0.3', '3.75', '15'),
      catalog: 'anthropic:claude-3-5-sonnet',
    },
    {
      name: 'a dated snapshot of claude-sonnet-4 finds the claude-sonnet-4 prices',
      provider: 'anthropic', model: 'claude-sonnet-4-20250514', expected: rates('3', '0.3', '3.75', '15'),
      catalog: 'anthropic:claude-sonnet-4-0',
    },
    {
      name: 'gemini-2.5-flash costs 0.3 in, 0.03 cached, 2.5 out',
      provider: 'google', model: 'gemini-2.5-flash', expected: rates('0.3', '0.03', '0.3', '2.5'), catalog: 'google:gemini-2.5-flash',
    },
    {
      name: 'a tiered price (gemini-2.5-pro, dearer past 200k prompt tokens) takes its base rate',
      provider: 'google', model: 'gemini-2.5-pro', expected: rates('1.25', '0.125', '1.25', '10'), catalog: 'google:gemini-2.5-pro',
    },
    {
      name: 'a time-of-day price (deepseek-chat) takes the rate outside every window',
      provider: 'deepseek', model: 'deepseek-chat', expected: rates('0.135', '0.035', '0.135', '0.55'), catalog: 'deepseek:deepseek-chat',
    },
    {
      name: 'a row without a provider is matched by its model id alone',
      provider: null, model: 'gpt-4o-mini', expected: rates('0.15', '0.075', '0.15', '0.6'), catalog: 'openai:gpt-4o-mini',
    },
    {
      name: 'a provider the catalog does not know falls back to the model id alone',
      provider: 'acme-gateway', model: 'claude-haiku-4-5', expected: rates('1', '0.1', '1.25', '5'), catalog: 'anthropic:claude-haiku-4-5',
    },
    {
      name: 'a provider/model id (LiteLLM style) is tried as that provider and model',
      provider: 'litellm', model: 'anthropic/claude-haiku-4-5', expected: rates('1', '0.1', '1.25', '5'), catalog: 'anthropic:claude-haiku-4-5',
    },
    {
      name: 'Vertex AI serving Claude finds the Claude prices through the Google provider',
      provider: 'google-vertex', model: 'claude-sonnet-4', expected: rates('3', '0.3', '3.75', '15'), catalog: 'google:claude-4-sonnet',
    },
    {
      name: 'Azure serving gpt-4o finds the OpenAI prices',
      provider: 'azure', model: 'gpt-4o', expected: rates('2.5', '1.25', '2.5', '10'), catalog: 'azure:gpt-4o',
    },
  ];
  for (const { name, provider, model, expected, catalog } of published) {
    it(name, () => {
      const { periods, unknown } = catalogPrices([{ provider, model }]);
      expect(unknown).toEqual([]);
      expect(periods).toEqual([
        { provider, model, effective_from: null, effective_to: null, ...expected, source: 'catalog', catalog_model_id: catalog },
      ]);
    });
  }

  it('reports an unknown model as unknown and gives it no price, not a zero one', () => {
    const { periods, unknown } = catalogPrices([{ provider: 'acme', model: 'acme-llm-9000' }, { provider: null, model: 'acme-llm-9000' }]);
    expect(periods).toEqual([]);
    expect(unknown).toEqual([{ provider: 'acme', model: 'acme-llm-9000' }, { provider: null, model: 'acme-llm-9000' }]);
  });

  it('reports a model without an output rate (an embedding model) as unknown', () => {
    expect(catalogPrices([{ provider: 'openai', model: 'text-embedding-3-small' }]).unknown).toEqual([
      { provider: 'openai', model: 'text-embedding-3-small' },
    ]);
  });

  it('turns a date-versioned price (o3, cut on 2025-06-10) into periods that meet without overlapping', () => {
    const { periods } = catalogPrices([{ provider: 'openai', model: 'o3' }]);
    expect(periods.map((p) => [p.effective_from, p.effective_to, p.input_usd_per_mtok, p.output_usd_per_mtok])).toEqual([
      [null, '2025-06-10', '10', '40'],
      ['2025-06-10', null, '2', '8'],
    ]);
  });

  it('merges date ranges whose token rates are the same (claude-sonnet-4-6 only lost its long-context tier)', () => {
    const { periods } = catalogPrices([{ provider: 'anthropic', model: 'claude-sonnet-4-6' }]);
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ effective_from: null, effective_to: null, ...rates('3', '0.3', '3.75', '15') });
  });

  it('gives every model in the bundled catalog exact rates in periods that follow one another without overlap', async () => {
    const providers = (await waitForUpdate()) ?? [];
    const pairs = providers.flatMap((p) => p.models.map((m) => ({ provider: p.id, model: m.id })));
    expect(pairs.length).toBeGreaterThan(1000);
    const { periods } = catalogPrices(pairs);
    const byPair = new Map<string, PricePeriod[]>();
    for (const p of periods) {
      for (const rate of [p.input_usd_per_mtok, p.cached_input_usd_per_mtok, p.cache_write_input_usd_per_mtok, p.output_usd_per_mtok]) {
        expect(rate).toMatch(RATE_PATTERN);
      }
      const key = JSON.stringify([p.provider, p.model]);
      byPair.set(key, [...(byPair.get(key) ?? []), p]);
    }
    for (const group of byPair.values()) {
      expect(group[0]!.effective_from).toBeNull();
      expect(group.at(-1)!.effective_to).toBeNull();
      for (let i = 1; i < group.length; i++) expect(group[i]!.effective_from).toBe(group[i - 1]!.effective_to);
    }
  });

  it('works offline: it never fetches newer prices', () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    catalogPrices([{ provider: 'openai', model: 'gpt-4o' }, { provider: 'acme', model: 'acme-llm-9000' }]);
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });

  it('keeps the ledger spelling of provider and model, and prices each distinct pair once', () => {
    const { periods } = catalogPrices([
      { provider: 'OpenAI', model: 'GPT-4o-mini' },
      { provider: 'OpenAI', model: 'GPT-4o-mini' },
      { provider: 'openai', model: 'gpt-4o-mini' },
    ]);
    expect(periods.map((p) => [p.provider, p.model])).toEqual([
      ['OpenAI', 'GPT-4o-mini'],
      ['openai', 'gpt-4o-mini'],
    ]);
  });
});

describe('catalogProviderId', () => {
  const cases: { input: string; expected: string }[] = [
    { input: 'openai', expected: 'openai' },
    { input: 'Anthropic', expected: 'anthropic' },
    { input: 'gcp.gen_ai', expected: 'google' },
    { input: 'az.ai.inference', expected: 'azure' },
    { input: 'x_ai', expected: 'x-ai' },
    { input: 'fireworks-ai', expected: 'fireworks' },
  ];
  for (const { input, expected } of cases) {
    it(`asks the catalog for '${expected}' when the ledger says '${input}'`, () => {
      expect(catalogProviderId(input)).toBe(expected);
    });
  }

  const native: { provider: string; model: string; catalog: string }[] = [
    { provider: 'google-vertex', model: 'gemini-2.5-flash', catalog: 'google:gemini-2.5-flash' },
    { provider: 'aws-bedrock', model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', catalog: 'aws:regional.anthropic.claude-3-5-sonnet-20241022-v2:0' },
    { provider: 'gcp.gen_ai', model: 'gemini-2.5-flash', catalog: 'google:gemini-2.5-flash' },
  ];
  for (const { provider, model, catalog } of native) {
    it(`finds ${model} under the ledger provider '${provider}'`, () => {
      expect(catalogPrices([{ provider, model }]).periods[0]?.catalog_model_id).toBe(catalog);
    });
  }
});
