import { describe, expect, it } from 'vitest';
import { modelRates } from '../../functions/detect/model-rates.js';
import { cheaperModelsPassingBar, type ModelUsage } from '../../functions/detect/routing.js';
import { when, type Stream } from './support/scenario.js';
import { daysBefore, findingsOf, scenario, streams, testConfig, theFinding } from './support/workloads.js';

const reviewOn4o: Stream = { ...streams.review, model: 'gpt-4o', quality: 0.86 };
const switchTo = (quality: number | null) => when('review', 30, (r) => ({ ...r, model: 'gpt-4o-mini', quality_mean: quality }));
const switches = (quality: number | null) => findingsOf(scenario({ days: 120, streams: [reviewOn4o, streams.search], effects: [switchTo(quality)] }));

describe('model_switch_without_eval', () => {
  it.each([
    { name: 'its quality fell from 0.86 to 0.72', quality: 0.72, reason: 'quality_fell', says: /quality fell from 0\.86 to 0\.72/ },
    { name: 'the new model has no quality scores at all', quality: null, reason: 'no_quality_data', says: /gpt-4o-mini has no quality scores since .*never evaluated/ },
    { name: 'its quality fell below the bar of 0.70', quality: 0.66, reason: 'below_quality_bar', says: /below the feature's bar of 0\.70/ },
  ])('finds review moving from gpt-4o to gpt-4o-mini on E-30 when $name', async ({ quality, reason, says }) => {
    const found = theFinding(await switches(quality), 'model_switch_without_eval', 'review');
    expect(found).toMatchObject({ subject: 'gpt-4o-mini', first_seen: `${daysBefore(30)}T00:00:00Z`, severity: 'warn', evidence: { from_model: 'gpt-4o', reason } });
    expect(found.summary).toMatch(says);
  });

  it('leaves a switch alone whose quality held', async () => {
    expect((await switches(0.86)).filter((f) => f.kind === 'model_switch_without_eval')).toEqual([]);
  });
});

describe('premium_model_default', () => {
  const extractOnHaiku = (quality: number): Stream => ({ ...streams.extract, model: 'claude-3-5-haiku-latest', perDay: 28, quality });

  it('finds extract running 90% on Opus while Haiku passed its 0.85 bar in its own calls, with the monthly saving', async () => {
    const found = theFinding(await findingsOf(scenario({ days: 120, streams: [streams.extract, extractOnHaiku(0.9)] })), 'premium_model_default', 'extract');
    expect(found).toMatchObject({ subject: 'claude-opus-4-20250514', severity: 'warn', first_seen: `${daysBefore(120)}T00:00:00Z` });
    expect(found.evidence).toMatchObject({ cheaper_model: 'claude-3-5-haiku-latest', price_basis: 'price list' });
    // Haiku costs about 5% of Opus for the same tokens: most of Opus's spend is saved
    const { spend_usd_month, saving_usd_month } = found.evidence as Record<string, string>;
    expect(Number(saving_usd_month) / Number(spend_usd_month!)).toBeGreaterThan(0.9);
    expect(found.impact_usd_month).toBe(saving_usd_month);
  });

  it('leaves extract alone when Haiku scored under the bar', async () => {
    const findings = await findingsOf(scenario({ days: 120, streams: [streams.extract, extractOnHaiku(0.8)] }));
    expect(findings.filter((f) => f.kind === 'premium_model_default')).toEqual([]);
  });
});

describe('routing options (cheaperModelsPassingBar)', () => {
  const usage = (o: Partial<ModelUsage>): ModelUsage => ({
    feature: 'extract', provider: 'anthropic', model: 'claude-opus-4-20250514', days: 28, requests: 900, spend_usd: 280,
    input_tokens: 4_500_000, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 720_000,
    quality_sum: 0, quality_sq_sum: 0, quality_n: 0, ...o,
  });
  const scored = (model: string, mean: number, n: number, sd = 0.05) =>
    usage({ model, quality_n: n, quality_sum: mean * n, quality_sq_sum: n * (mean * mean + sd * sd) });
  const rates = modelRates(testConfig, [{ provider: 'anthropic', model: 'claude-opus-4-20250514' }, { provider: 'anthropic', model: 'claude-3-5-haiku-latest' }, { provider: 'anthropic', model: 'claude-sonnet-4-20250514' }], '2026-05-31');
  const settings = { minQualitySamples: 30, minSavingShare: 0.2 };
  const recent = [usage({}), usage({ model: 'claude-3-5-haiku-latest', requests: 100, spend_usd: 1.5 })];

  it.each([
    { name: 'a cheaper model above the bar over enough scores is an option', candidates: [scored('claude-3-5-haiku-latest', 0.9, 200)], expected: ['claude-3-5-haiku-latest'] },
    { name: 'too few scores are not evidence', candidates: [scored('claude-3-5-haiku-latest', 0.95, 10)], expected: [] },
    { name: 'a mean just over the bar with a wide spread is not enough', candidates: [scored('claude-3-5-haiku-latest', 0.86, 40, 0.2)], expected: [] },
    { name: 'the best option comes first', candidates: [scored('claude-sonnet-4-20250514', 0.9, 200), scored('claude-3-5-haiku-latest', 0.9, 200)], expected: ['claude-3-5-haiku-latest', 'claude-sonnet-4-20250514'] },
  ])('$name', ({ candidates, expected }) => {
    const options = cheaperModelsPassingBar(recent, [scored('claude-opus-4-20250514', 0.93, 500), ...candidates], testConfig, rates, settings);
    expect(options.map((o) => o.to.model)).toEqual(expected);
  });

  it("states the saving: the main model's monthly spend times one minus the price ratio of its own token mix", () => {
    const [option] = cheaperModelsPassingBar(recent, [scored('claude-3-5-haiku-latest', 0.9, 200)], testConfig, rates, settings);
    // Opus $15 / $75 and Haiku $0.80 / $4 per million tokens: the same tokens cost 5.33% as much
    expect(option!.cost_ratio).toBeCloseTo(0.8 / 15, 4);
    expect(option!.saving_usd_month).toBeCloseTo((280 / 28) * (365 / 12) * (1 - 0.8 / 15), 6);
    expect(option!.from.share).toBeCloseTo(0.9);
  });

  it('gives no options for a feature without a quality bar', () => {
    expect(cheaperModelsPassingBar([usage({ feature: 'search' })], [scored('claude-3-5-haiku-latest', 0.99, 500)].map((u) => ({ ...u, feature: 'search' })), testConfig, rates, settings)).toEqual([]);
  });
});
