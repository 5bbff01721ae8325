import { describe, expect, it } from 'vitest';
import { overlay, priceList } from '../../functions/pricing/price-list.js';
import type { PricePeriod } from '../../functions/pricing/price-period.js';

/** A negotiated period at a flat rate, for the tests. */
function contract(provider: string | null, model: string, from: string | null, to: string | null, rate: string): PricePeriod {
  return {
    provider, model, effective_from: from, effective_to: to,
    input_usd_per_mtok: rate, cached_input_usd_per_mtok: rate, cache_write_input_usd_per_mtok: rate, output_usd_per_mtok: rate,
    source: 'negotiated', catalog_model_id: null,
  };
}

/** A period reduced to what the tests look at: [from, to, source, input rate]. */
const brief = (p: PricePeriod) => [p.effective_from, p.effective_to, p.source, p.input_usd_per_mtok];

/** No two periods of one (provider, model) share a day. */
function expectNoOverlaps(periods: PricePeriod[]): void {
  const byKey = new Map<string, PricePeriod[]>();
  for (const p of periods) {
    const key = JSON.stringify([p.provider, p.model]);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  for (const group of byKey.values()) {
    const sorted = [...group].sort((a, b) => (a.effective_from ?? '').localeCompare(b.effective_from ?? ''));
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i - 1]!.effective_to).not.toBeNull();
      expect(sorted[i - 1]!.effective_to! <= sorted[i]!.effective_from!).toBe(true);
    }
  }
}

describe('priceList', () => {
  const gpt4o = { provider: 'openai', model: 'gpt-4o' };

  it('without negotiated prices is the catalog', () => {
    const { periods, unknown } = priceList([gpt4o]);
    expect(periods.map(brief)).toEqual([[null, null, 'catalog', '2.5']]);
    expect(unknown).toEqual([]);
  });

  const splits: { name: string; negotiated: PricePeriod[]; expected: unknown[][] }[] = [
    {
      name: 'a contract with both dates cuts the catalog price into before, contract and after',
      negotiated: [contract('openai', 'gpt-4o', '2025-01-01', '2026-01-01', '2')],
      expected: [
        [null, '2025-01-01', 'catalog', '2.5'],
        ['2025-01-01', '2026-01-01', 'negotiated', '2'],
        ['2026-01-01', null, 'catalog', '2.5'],
      ],
    },
    {
      name: 'an open-ended contract leaves the catalog only before it',
      negotiated: [contract('openai', 'gpt-4o', '2025-01-01', null, '2')],
      expected: [
        [null, '2025-01-01', 'catalog', '2.5'],
        ['2025-01-01', null, 'negotiated', '2'],
      ],
    },
    {
      name: 'a contract for all time replaces the catalog',
      negotiated: [contract('openai', 'gpt-4o', null, null, '2')],
      expected: [[null, null, 'negotiated', '2']],
    },
    {
      name: 'two back-to-back contracts leave catalog prices only outside both',
      negotiated: [
        contract('openai', 'gpt-4o', '2025-07-01', '2026-01-01', '1.8'),
        contract('openai', 'gpt-4o', '2025-01-01', '2025-07-01', '2'),
      ],
      expected: [
        [null, '2025-01-01', 'catalog', '2.5'],
        ['2025-01-01', '2025-07-01', 'negotiated', '2'],
        ['2025-07-01', '2026-01-01', 'negotiated', '1.8'],
        ['2026-01-01', null, 'catalog', '2.5'],
      ],
    },
    {
      name: 'a contract with no provider applies to the model',
      negotiated: [contract(null, 'gpt-4o', '2025-01-01', null, '2')],
      expected: [
        [null, '2025-01-01', 'catalog', '2.5'],
        ['2025-01-01', null, 'negotiated', '2'],
      ],
    },
    {
      name: 'a contract naming the provider wins over one that does not, where both apply',
      negotiated: [contract(null, 'gpt-4o', '2025-01-01', null, '2'), contract('OpenAI', 'GPT-4o', '2025-06-01', '2025-09-01', '1.5')],
      expected: [
        [null, '2025-01-01', 'catalog', '2.5'],
        ['2025-01-01', '2025-06-01', 'negotiated', '2'],
        ['2025-06-01', '2025-09-01', 'negotiated', '1.5'],
        ['2025-09-01', null, 'negotiated', '2'],
      ],
    },
    {
      name: 'a contract for another provider of the same model does not apply',
      negotiated: [contract('azure', 'gpt-4o', '2025-01-01', null, '2')],
      expected: [[null, null, 'catalog', '2.5']],
    },
  ];
  for (const { name, negotiated, expected } of splits) {
    it(name, () => {
      const { periods } = priceList([gpt4o], negotiated);
      expect(periods.map(brief)).toEqual(expected);
      expect(periods.every((p) => p.provider === 'openai' && p.model === 'gpt-4o')).toBe(true);
      expectNoOverlaps(periods);
    });
  }

  it('splits a date-versioned catalog price around a contract that spans its change', () => {
    const { periods } = priceList([{ provider: 'openai', model: 'o3' }], [contract('openai', 'o3', '2025-05-01', '2025-08-01', '5')]);
    expect(periods.map(brief)).toEqual([
      [null, '2025-05-01', 'catalog', '10'],
      ['2025-05-01', '2025-08-01', 'negotiated', '5'],
      ['2025-08-01', null, 'catalog', '2'],
    ]);
  });

  it('applies a provider-less contract to the model under every provider, in each row\'s own spelling', () => {
    const models = [{ provider: 'openai', model: 'gpt-4o' }, { provider: 'Azure', model: 'gpt-4o' }, { provider: null, model: 'gpt-4o' }];
    const { periods } = priceList(models, [contract(null, 'gpt-4o', null, null, '2')]);
    expect(periods.map((p) => [p.provider, p.model, p.source])).toEqual([
      ['openai', 'gpt-4o', 'negotiated'],
      ['Azure', 'gpt-4o', 'negotiated'],
      [null, 'gpt-4o', 'negotiated'],
    ]);
  });

  it('prices a model the catalog does not know within its contract, and only there', () => {
    const { periods, unknown } = priceList(
      [{ provider: 'acme', model: 'acme-llm-9000' }],
      [contract('acme', 'acme-llm-9000', '2025-01-01', null, '0.5')],
    );
    expect(periods.map(brief)).toEqual([['2025-01-01', null, 'negotiated', '0.5']]);
    expect(unknown).toEqual([]);
  });

  it('reports a model neither the catalog nor a contract prices as unknown, never as zero', () => {
    const { periods, unknown } = priceList([{ provider: 'acme', model: 'acme-llm-9000' }, gpt4o]);
    expect(unknown).toEqual([{ provider: 'acme', model: 'acme-llm-9000' }]);
    expect(periods.map((p) => p.model)).toEqual(['gpt-4o']);
  });

  it('ignores contracts for models no row uses', () => {
    expect(priceList([gpt4o], [contract('openai', 'gpt-4o-mini', null, null, '0.1')]).periods.map(brief)).toEqual([
      [null, null, 'catalog', '2.5'],
    ]);
  });
});

describe('overlay', () => {
  it('keeps a lower period that a higher one does not touch', () => {
    const low = contract('p', 'm', '2024-01-01', '2024-06-01', '1');
    const high = contract('p', 'm', '2024-06-01', null, '2');
    expect(overlay([low], [high]).map(brief)).toEqual([
      ['2024-06-01', null, 'negotiated', '2'],
      ['2024-01-01', '2024-06-01', 'negotiated', '1'],
    ]);
  });

  it('drops a lower period that a higher one covers', () => {
    const low = contract('p', 'm', '2024-02-01', '2024-03-01', '1');
    const high = contract('p', 'm', null, null, '2');
    expect(overlay([low], [high]).map(brief)).toEqual([[null, null, 'negotiated', '2']]);
  });
});
