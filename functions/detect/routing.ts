import type { FinopsConfig } from '../config/finops-config.js';
import { featureConfig } from '../config/finops-config.js';
import { daysBetween } from '../time/days.js';
import { groupBy, total } from './series.js';
import { daysPerMonth } from './estimates.js';
import type { DayModelRow } from './ledger-reads.js';
import { mixCost, modelId, type TokenRates } from './model-rates.js';

/**
 * Routing options: for a feature, which cheaper model has already proven good enough in the feature's own calls,
 * and what routing its main model's traffic there would save a month. premium_model_default reports the best
 * option when one model carries most of a feature; the routing advice (a later issue) builds on the same function.
 *
 * - The main model: the most logical requests over the recent window.
 * - Good enough: the candidate's mean quality score in this feature's calls over the scored window, less 1.645
 *   standard errors (a one-sided 95% bound), reaches the feature's `quality_bar`, over at least `minQualitySamples`
 *   scored calls. Features without a quality_bar get no options: nobody has said what good enough is.
 * - Cheaper: the main model's recent token mix (uncached, cached, cache-written input and output tokens) priced at
 *   the candidate's rates, against the same mix at the main model's own rates (the price list the loader uses).
 *   Where either model has no known price, the ratio of observed spend per request stands in.
 * - The saving: the main model's spend over the recent window, per month, x (1 - that ratio); only options saving
 *   at least `minSavingShare` are kept.
 */

/** One feature's use of one model over a window: the sums of calls_by_day_and_model. */
export interface ModelUsage {
  feature: string;
  provider: string | null;
  model: string;
  days: number;
  requests: number;
  spend_usd: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  quality_sum: number;
  quality_sq_sum: number;
  quality_n: number;
}

/** Sums rows of calls_by_day_and_model over the days [from, to) into one usage per feature and model. */
export function modelUsage(rows: readonly DayModelRow[], from: string, to: string): ModelUsage[] {
  const inWindow = rows.filter((r) => r.feature !== null && r.day >= from && r.day < to);
  const days = daysBetween(from, to);
  return [...groupBy(inWindow, (r) => JSON.stringify([r.feature, r.provider, r.model])).values()].map((group) => ({
    feature: group[0]!.feature!,
    provider: group[0]!.provider,
    model: group[0]!.model,
    days,
    requests: total(group, (r) => r.requests),
    spend_usd: total(group, (r) => r.spend_usd),
    input_tokens: total(group, (r) => r.input_tokens),
    cached_input_tokens: total(group, (r) => r.cached_input_tokens),
    cache_write_input_tokens: total(group, (r) => r.cache_write_input_tokens),
    output_tokens: total(group, (r) => r.output_tokens),
    quality_sum: total(group, (r) => r.quality_sum),
    quality_sq_sum: total(group, (r) => r.quality_sq_sum),
    quality_n: total(group, (r) => r.quality_n),
  }));
}

export interface Quality {
  mean: number;
  /** Standard error of the mean. */
  se: number;
  n: number;
}

/** The mean quality score of a usage and its standard error; null without scores. */
export function qualityOf(usage: Pick<ModelUsage, 'quality_sum' | 'quality_sq_sum' | 'quality_n'>): Quality | null {
  const n = usage.quality_n;
  if (n === 0) return null;
  const mean = usage.quality_sum / n;
  const variance = n > 1 ? Math.max(0, (usage.quality_sq_sum - n * mean * mean) / (n - 1)) : 0;
  return { mean, se: Math.sqrt(variance / n), n };
}

/**
 * A model's quality in a feature against the feature's bar: it `passes` when its one-sided 95% lower bound (mean
 * less 1.645 standard errors) reaches the bar over at least `minSamples` scored calls; `too few scores` below that.
 */
export function qualityVerdict(quality: Quality | null, bar: number, minSamples: number): 'passes' | 'below bar' | 'too few scores' {
  if (!quality || quality.n < minSamples) return 'too few scores';
  return quality.mean - 1.645 * quality.se >= bar ? 'passes' : 'below bar';
}

export interface RoutingOption {
  feature: string;
  quality_bar: number;
  from: {
    provider: string | null;
    model: string;
    /** Its share of the feature's requests over the recent window. */
    share: number;
    spend_usd_month: number;
    quality: Quality | null;
  };
  to: {
    provider: string | null;
    model: string;
    quality: Quality;
  };
  /** What the main model's traffic would cost on the candidate, as a share of what it costs now. */
  cost_ratio: number;
  saving_usd_month: number;
  basis: 'price list' | 'observed spend per request';
}

export interface RoutingSettings {
  minQualitySamples: number;
  minSavingShare: number;
}

/**
 * Every feature's routing options, best (largest saving) first within each feature, features in name order.
 * `recent` sets the traffic and its token mix; `scored` (usually a longer window) the quality evidence.
 */
export function cheaperModelsPassingBar(
  recent: readonly ModelUsage[],
  scored: readonly ModelUsage[],
  config: FinopsConfig,
  rates: ReadonlyMap<string, TokenRates>,
  settings: RoutingSettings,
): RoutingOption[] {
  const options: RoutingOption[] = [];
  const features = [...groupBy(recent, (u) => u.feature)].sort(([a], [b]) => a.localeCompare(b));
  for (const [feature, usages] of features) {
    const bar = featureConfig(config, feature).quality_bar;
    if (bar === null) continue;
    const requests = total(usages, (u) => u.requests);
    const main = [...usages].sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model))[0];
    if (!main || requests === 0 || main.requests === 0) continue;
    const mainRates = rates.get(modelId(main));
    const scoredHere = scored.filter((u) => u.feature === feature);
    const mainScored = scoredHere.find((u) => u.model === main.model && u.provider === main.provider);
    const found: RoutingOption[] = [];
    for (const candidate of scoredHere) {
      if (candidate.model === main.model && candidate.provider === main.provider) continue;
      const quality = qualityOf(candidate);
      if (!quality || qualityVerdict(quality, bar, settings.minQualitySamples) !== 'passes') continue;
      const candidateRates = rates.get(modelId(candidate));
      const mix = {
        input: main.input_tokens,
        cachedInput: main.cached_input_tokens,
        cacheWriteInput: main.cache_write_input_tokens,
        output: main.output_tokens,
      };
      let ratio: number;
      let basis: RoutingOption['basis'];
      if (mainRates && candidateRates && mixCost(mix, mainRates) > 0) {
        ratio = mixCost(mix, candidateRates) / mixCost(mix, mainRates);
        basis = 'price list';
      } else {
        const candidateRecent = usages.find((u) => u.model === candidate.model && u.provider === candidate.provider) ?? candidate;
        if (candidateRecent.requests === 0 || main.spend_usd === 0) continue;
        ratio = candidateRecent.spend_usd / candidateRecent.requests / (main.spend_usd / main.requests);
        basis = 'observed spend per request';
      }
      if (1 - ratio < settings.minSavingShare) continue;
      const spendMonth = (main.spend_usd / main.days) * daysPerMonth;
      found.push({
        feature,
        quality_bar: bar,
        from: {
          provider: main.provider,
          model: main.model,
          share: main.requests / requests,
          spend_usd_month: spendMonth,
          quality: mainScored ? qualityOf(mainScored) : null,
        },
        to: { provider: candidate.provider, model: candidate.model, quality },
        cost_ratio: ratio,
        saving_usd_month: spendMonth * (1 - ratio),
        basis,
      });
    }
    options.push(...found.sort((a, b) => b.saving_usd_month - a.saving_usd_month || a.to.model.localeCompare(b.to.model)));
  }
  return options;
}
