import { daysPerMonth, rounded, share, usd } from '../detect/estimates.js';
import { modelId, modelRates } from '../detect/model-rates.js';
import { groupBy, total } from '../detect/series.js';
import { formatCount, formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { adviceKey, type Advice } from './advice.js';
import type { Advisor } from './advisor.js';
import { recentDays, usageRows, type UsageDayRow } from './usage.js';

/**
 * Prompt-caching advice, per feature: its cache hit rate (cached / all input tokens) week by week, and the saving
 * still on the table.
 *
 * The saving: over the last 28 days, the input tokens behind a repeated prompt_prefix_hash that were not read from
 * the cache (sql/advise/uncached_prefix_tokens_by_feature_and_model.sql: per call after a prefix's first, the
 * prefix's length, or the call's input if shorter, less the tokens it read from cache; the prefix's length is the
 * fewest tokens the cache ever served of it, else its shortest prompt), priced per model at the
 * difference between its input and cached-read rates (the price list the loader uses, functions/pricing/), and
 * scaled to a month (x 365/12 / 28):
 *
 *   saving_usd_month = sum over models of uncached_prefix_tokens x (input rate - cached-read rate) x 365/12 / 28
 *
 * A gateway cache typically removes 30 to 50 percent of input tokens; `removable_share` is what it would remove
 * here, from the feature's own prefixes. Models with no known price are left out of the saving (and listed).
 * Advice is given where the saving is at least a cent a month.
 */

/** Weeks of hit rates shown. */
export const hitRateWeeks = 8;

export const cachingAdvisor: Advisor = {
  name: 'caching',
  advise: async (context) => {
    const { asOf, config } = context;
    const from = addDays(asOf, -recentDays);
    const prefixes = (await context.reader.rows('advise/uncached_prefix_tokens_by_feature_and_model.sql', { from, to: asOf })).map(prefixRow);
    const rates = modelRates(config, prefixes, addDays(asOf, -1));
    const weekly = weeklyHitRates(await usageRows(context), asOf);
    const monthly = daysPerMonth / recentDays;

    const advice: Advice[] = [];
    for (const [feature, models] of groupBy(prefixes, (p) => p.feature)) {
      const priced = models.filter((m) => rates.has(modelId(m)));
      const savingMonth =
        total(priced, (m) => {
          const r = rates.get(modelId(m))!;
          return m.uncached_prefix_tokens * Math.max(0, r.input - r.cachedInput);
        }) * monthly;
      if (Number(usd(savingMonth)) < 0.01) continue;
      const inputTokens = total(models, (m) => m.input_tokens);
      const uncached = total(models, (m) => m.uncached_prefix_tokens);
      const weeks = weekly.get(feature) ?? [];
      const removable = inputTokens > 0 ? uncached / inputTokens : 0;
      advice.push({
        key: adviceKey('caching', feature, null),
        advisor: 'caching',
        feature,
        subject: null,
        summary:
          `${formatPercent(removable)} of the input tokens (${formatCount(Math.round(uncached * monthly), true)} a month) sit behind a repeated prompt prefix ` +
          `but were not read from the cache; caching them would save about ${formatUsd(usd(savingMonth))} a month` +
          (weeks.length > 0 ? `. Cache hit rate by week: ${weeks.slice(-4).map((w) => formatPercent(w.hit_rate)).join(', ')}.` : '.'),
        saving_usd_month: usd(savingMonth),
        inputs: {
          window_days: recentDays,
          input_tokens: inputTokens,
          cached_input_tokens: total(models, (m) => m.cached_input_tokens),
          repeat_calls: total(models, (m) => m.repeat_calls),
          uncached_prefix_tokens: uncached,
          removable_share: share(removable),
          models: models.map((m) => ({
            provider: m.provider,
            model: m.model,
            uncached_prefix_tokens: m.uncached_prefix_tokens,
            usd_per_mtok_saved: rates.has(modelId(m)) ? rounded((rates.get(modelId(m))!.input - rates.get(modelId(m))!.cachedInput) * 1e6) : null,
          })),
          weekly_hit_rate: weeks,
        },
      });
    }
    return advice.sort((a, b) => Number(b.saving_usd_month) - Number(a.saving_usd_month) || (a.feature ?? '').localeCompare(b.feature ?? ''));
  },
};

interface PrefixRow {
  feature: string;
  provider: string | null;
  model: string;
  calls: number;
  input_tokens: number;
  cached_input_tokens: number;
  repeat_calls: number;
  uncached_prefix_tokens: number;
}

function prefixRow(r: Record<string, unknown>): PrefixRow {
  return {
    feature: String(r.feature),
    provider: r.provider === null ? null : String(r.provider),
    model: String(r.model),
    calls: Number(r.calls),
    input_tokens: Number(r.input_tokens),
    cached_input_tokens: Number(r.cached_input_tokens),
    repeat_calls: Number(r.repeat_calls),
    uncached_prefix_tokens: Number(r.uncached_prefix_tokens),
  };
}

/** The Monday (ISO week start) of a day. */
export function weekOf(day: string): string {
  return addDays(day, -((new Date(day + 'T00:00:00Z').getUTCDay() + 6) % 7));
}

/**
 * Per feature, the cache hit rate of each ISO week (by its Monday) of the last `hitRateWeeks` weeks before the as-of
 * day, oldest first; the last week may be partial.
 */
export function weeklyHitRates(rows: readonly UsageDayRow[], asOf: string): Map<string, { week: string; hit_rate: number }[]> {
  const first = addDays(weekOf(addDays(asOf, -1)), -7 * (hitRateWeeks - 1));
  const out = new Map<string, { week: string; hit_rate: number }[]>();
  for (const [feature, featureRows] of groupBy(rows.filter((r) => r.feature !== null && r.day >= first), (r) => r.feature!)) {
    const weeks = [...groupBy(featureRows, (r) => weekOf(r.day))].sort(([a], [b]) => a.localeCompare(b));
    out.set(
      feature,
      weeks.map(([week, days]) => {
        const input = total(days, (d) => d.input_tokens);
        return { week, hit_rate: input > 0 ? share(total(days, (d) => d.cached_input_tokens) / input) : 0 };
      }),
    );
  }
  return out;
}
