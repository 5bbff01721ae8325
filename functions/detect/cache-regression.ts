import { median } from 'simple-statistics';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type DetectContext, type Detector } from './detector.js';
import { daysPerMonth, rounded, share, usd } from './estimates.js';
import { dayModelRows, prefixDayRows, type DayModelRow, type PrefixDayRow } from './ledger-reads.js';
import { modelId, modelRates, type TokenRates } from './model-rates.js';
import { daysOf, groupBy, total } from './series.js';
import { bestStep } from './stats/change-point.js';
import { robustScale } from './stats/robust-scale.js';

/**
 * cache_regression: a feature's prompt cache stops hitting, typically because its prompt prefix churns (a
 * timestamp or a user name moved into the system prompt, so every call hashes differently).
 *
 * Per feature, the daily cache hit rate (cached input tokens / input tokens, days with at least 20 calls) over the
 * drift window. The best single step (least squares, at least 7 days before and 3 after) places the change; it is
 * a regression when the median rate after is at least drift.cache_hit_rate_drop (10 points) below the median
 * before, the drop is at least four robust standard deviations of the daily noise, and the last 3 days are still
 * down. It is a warn when the prefix churned with it (new prompt_prefix_hash values a day, on average, at least
 * half a new one and three times as many as before), info otherwise (the provider's cache, not the prompt). The
 * impact: the lost hit rate x a month of input tokens x (input - cached input price) on the main model.
 */

export const cacheRegression: Detector = {
  name: 'cache_regression',
  kinds: ['cache_regression'],
  lookbackDays: (config) => config.detectors.lookback_days.drift,
  detect: async (context) => {
    const { asOf, config } = context;
    const window = lookbackWindow(asOf, config.detectors.lookback_days.drift);
    const rows = await prefixDayRows(context, window.from, window.to);
    const regressions = cacheRegressions(rows, window.from, window.to, config.detectors.drift.cache_hit_rate_drop);
    if (regressions.length === 0) return [];
    const models = await mainModels(context, regressions.map((r) => r.feature));
    const rates = modelRates(config, [...models.values()], addDays(asOf, -1));
    return regressions.map((r) => {
      const model = models.get(r.feature);
      return regressionFinding(r, model ? rates.get(modelId(model)) : undefined, model?.model ?? null, asOf);
    });
  },
};

export const minDayCalls = 20;

export interface CacheRegression {
  feature: string;
  onset: string;
  lastDay: string;
  before: number;
  after: number;
  churned: boolean;
  newPrefixesPerDayBefore: number;
  newPrefixesPerDayAfter: number;
  newPrefixesSince: number;
  inputTokensPerDay: number;
}

/** Regressions among given rows over the days [from, to). Exported for tests on given rows. */
export function cacheRegressions(rows: readonly PrefixDayRow[], from: string, to: string, minDrop: number): CacheRegression[] {
  const days = daysOf(from, to);
  const out: CacheRegression[] = [];
  const groups = [...groupBy(rows, (r) => r.feature)].sort(([a], [b]) => a.localeCompare(b));
  for (const [feature, group] of groups) {
    const byDay = new Map(group.map((r) => [r.day, r]));
    const valid = days.map((day) => byDay.get(day)).filter((r): r is PrefixDayRow => r !== undefined && r.calls >= minDayCalls && r.input_tokens > 0);
    if (valid.length < 14) continue;
    const h = valid.map((r) => r.cached_input_tokens / r.input_tokens);
    const step = bestStep(h, 3);
    if (!step || step.index < 7) continue;
    const before = median(h.slice(0, step.index));
    const after = median(h.slice(step.index));
    const drop = before - after;
    if (drop < minDrop) continue;
    const noise = Math.max(0.005, robustScale(h.map((v, i) => v - (i < step.index ? before : after))));
    if (drop < 4 * noise || median(h.slice(-3)) > before - drop / 2) continue;

    // the first two days of the window see every prefix as new: leave them out of the "before" churn
    const newBefore = valid.slice(2, step.index).map((r) => r.new_prefix_hashes);
    const newAfter = valid.slice(step.index).map((r) => r.new_prefix_hashes);
    const perDayBefore = newBefore.length > 0 ? total(newBefore, (n) => n) / newBefore.length : 0;
    const perDayAfter = total(newAfter, (n) => n) / newAfter.length;
    out.push({
      feature,
      onset: valid[step.index]!.day,
      lastDay: valid.at(-1)!.day,
      before,
      after,
      churned: perDayAfter >= 0.5 && perDayAfter >= 3 * perDayBefore,
      newPrefixesPerDayBefore: perDayBefore,
      newPrefixesPerDayAfter: perDayAfter,
      newPrefixesSince: total(newAfter, (n) => n),
      inputTokensPerDay: total(valid.slice(-7), (r) => r.input_tokens) / Math.min(7, valid.length),
    });
  }
  return out;
}

/** Each feature's main model over the last 7 days of the window, by input tokens. */
async function mainModels(context: DetectContext, features: string[]): Promise<Map<string, { provider: string | null; model: string }>> {
  const since = addDays(context.asOf, -7);
  const rows = (await dayModelRows(context)).filter((r) => r.day >= since && r.feature !== null && features.includes(r.feature));
  const out = new Map<string, { provider: string | null; model: string }>();
  for (const [feature, group] of groupBy(rows, (r) => r.feature!)) {
    const byModel = [...groupBy(group, (r: DayModelRow) => JSON.stringify([r.provider, r.model])).values()].sort(
      (a, b) => total(b, (r) => r.input_tokens) - total(a, (r) => r.input_tokens),
    );
    const main = byModel[0]![0]!;
    out.set(feature, { provider: main.provider, model: main.model });
  }
  return out;
}

function regressionFinding(r: CacheRegression, rates: TokenRates | undefined, model: string | null, asOf: string): DetectedFinding {
  const impact = rates ? (r.before - r.after) * r.inputTokensPerDay * daysPerMonth * Math.max(0, rates.input - rates.cachedInput) : null;
  const churn = r.churned
    ? ` as its prompt prefix kept changing (${r.newPrefixesSince} new prefix hash${r.newPrefixesSince === 1 ? '' : 'es'} since)`
    : ' while its prompt prefix stayed the same';
  return {
    key: findingKey('cache_regression', r.feature),
    kind: 'cache_regression',
    severity: r.churned ? 'warn' : 'info',
    feature: r.feature,
    subject: model,
    first_seen: dayStamp(r.onset),
    last_seen: dayStamp(r.lastDay),
    impact_usd_month: impact === null ? null : usd(impact),
    summary:
      `${r.feature}'s cache hit rate fell from ${formatPercent(r.before)} to ${formatPercent(r.after)} on ${r.onset}${churn}` +
      (impact === null ? '.' : `; the lost cache reads cost about ${formatUsd(usd(impact))} a month.`),
    evidence: {
      cache_hit_rate_before: share(r.before),
      cache_hit_rate_after: share(r.after),
      prefix_churned: r.churned,
      new_prefix_hashes_per_day_before: rounded(r.newPrefixesPerDayBefore, 3),
      new_prefix_hashes_per_day_after: rounded(r.newPrefixesPerDayAfter, 3),
      input_tokens_per_day: Math.round(r.inputTokensPerDay),
      model,
    },
    ongoing: r.lastDay >= addDays(asOf, -7),
  };
}
