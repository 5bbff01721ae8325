import { median } from 'simple-statistics';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatCount } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, rounded, usd } from './estimates.js';
import { dayModelRows, type DayModelRow } from './ledger-reads.js';
import { modelId, modelRates } from './model-rates.js';
import { daysOf, groupBy, total } from './series.js';
import { bestHinge, bestStep } from './stats/change-point.js';
import { robustScale } from './stats/robust-scale.js';

/**
 * prompt_drift: a prompt that sends more and more input tokens per call ("from 200 to 2,000 tokens over six
 * months"), measured against its own baseline.
 *
 * Per feature and prompt_id, the daily input tokens per successful call over the drift window (days with at least
 * 5 calls; prompts with fewer than drift.min_calls_per_week calls a week are skipped). Two change shapes are fitted
 * by least squares, a step (a new, longer version) and a hinge (flat, then growing by a fitted trend every day);
 * the better fit places the onset. The baseline is the median before the onset, the current level the median of
 * the last 7 days; it is drift when current / baseline - 1 > drift.growth_threshold (25%) and the rise is at least
 * four robust standard deviations of the fit's residuals. The impact is the extra tokens per call x the calls of a
 * month x the price of an input token on the prompt's main model (at its current cache hit rate).
 */

export const promptDrift: Detector = {
  name: 'prompt_drift',
  kinds: ['prompt_drift'],
  lookbackDays: (config) => config.detectors.lookback_days.drift,
  detect: async (context) => {
    const { asOf, config } = context;
    const window = lookbackWindow(asOf, config.detectors.lookback_days.drift);
    const rows = (await dayModelRows(context)).filter((r) => r.feature !== null && r.day >= window.from && r.day < window.to);
    const d = config.detectors.drift;
    const drifts = promptDrifts(rows, window.from, window.to, d.growth_threshold, d.min_calls_per_week);
    const rates = modelRates(config, drifts.map((x) => x.model), addDays(asOf, -1));
    return drifts.map((x) => driftFinding(x, rates.get(modelId(x.model)), asOf));
  },
};

/** Calls a day needs for its tokens per call to count. */
export const minDayCalls = 5;

export interface PromptDrift {
  feature: string;
  prompt_id: string | null;
  onset: string;
  lastDay: string;
  shape: 'step' | 'trend';
  baseline: number;
  current: number;
  /** Tokens per call added per day, for a trend. */
  slope: number;
  callsPerMonth: number;
  cacheHitRate: number;
  /** Spend per token (input and output) of the recent calls: the fallback price for a model no list knows. */
  spendPerToken: number;
  model: { provider: string | null; model: string };
}

/** The drifting prompts among given rows over the days [from, to). Exported for tests on given rows. */
export function promptDrifts(rows: readonly DayModelRow[], from: string, to: string, threshold: number, minCallsPerWeek: number): PromptDrift[] {
  const days = daysOf(from, to);
  const out: PromptDrift[] = [];
  const groups = [...groupBy(rows, (r) => JSON.stringify([r.feature, r.prompt_id]))].sort(([a], [b]) => a.localeCompare(b));
  for (const [, group] of groups) {
    const byDay = groupBy(group, (r) => r.day);
    const valid = days
      .map((day) => ({ day, rows: byDay.get(day) ?? [] }))
      .map(({ day, rows: r }) => ({ day, calls: total(r, (x) => x.ok_requests), tokens: total(r, (x) => x.ok_input_tokens) }))
      .filter((d) => d.calls >= minDayCalls);
    if (valid.length < 21) continue;
    const spanWeeks = (days.indexOf(valid.at(-1)!.day) - days.indexOf(valid[0]!.day) + 1) / 7;
    if (total(valid, (d) => d.calls) / spanWeeks < minCallsPerWeek) continue;

    const x = valid.map((d) => d.tokens / d.calls);
    const step = bestStep(x, 3);
    const hinge = bestHinge(x, 3);
    if (!step || !hinge) continue;
    const useHinge = hinge.sse <= step.sse;
    const onsetIndex = useHinge ? hinge.index : step.index;
    const baseline = onsetIndex >= 3 ? median(x.slice(0, onsetIndex)) : median(x.slice(0, 7));
    const current = median(x.slice(-7));
    if (baseline <= 0 || current / baseline - 1 <= threshold) continue;
    const fitted = x.map((_, i) =>
      useHinge ? hinge.level + hinge.slope * Math.max(0, i - hinge.index + 1) : i < step.index ? step.before : step.after,
    );
    const noise = robustScale(x.map((v, i) => v - fitted[i]!));
    if (current - baseline < 4 * noise) continue;

    const recentFrom = addDays(to, -28);
    const recent = group.filter((r) => r.day >= recentFrom);
    const lastWeek = group.filter((r) => r.day >= addDays(to, -7));
    const models = [...groupBy(recent, (r) => JSON.stringify([r.provider, r.model])).values()].sort(
      (a, b) => total(b, (r) => r.ok_requests) - total(a, (r) => r.ok_requests),
    );
    const main = models[0]?.[0] ?? group.at(-1)!;
    const input = total(lastWeek, (r) => r.ok_input_tokens);
    out.push({
      feature: group[0]!.feature!,
      prompt_id: group[0]!.prompt_id,
      onset: valid[onsetIndex]!.day,
      lastDay: valid.at(-1)!.day,
      shape: useHinge ? 'trend' : 'step',
      baseline,
      current,
      slope: useHinge ? hinge.slope : 0,
      callsPerMonth: (total(recent, (r) => r.ok_requests) / 28) * daysPerMonth,
      cacheHitRate: input > 0 ? total(lastWeek, (r) => r.ok_cached_input_tokens) / input : 0,
      spendPerToken: (() => {
        const tokens = input + total(lastWeek, (r) => r.ok_output_tokens);
        return tokens > 0 ? total(lastWeek, (r) => r.ok_spend_usd) / tokens : 0;
      })(),
      model: { provider: main.provider, model: main.model },
    });
  }
  return out;
}

function driftFinding(d: PromptDrift, rates: { input: number; cachedInput: number } | undefined, asOf: string): DetectedFinding {
  const perToken = rates ? rates.input * (1 - d.cacheHitRate) + rates.cachedInput * d.cacheHitRate : d.spendPerToken;
  const extra = d.current - d.baseline;
  const impact = extra * d.callsPerMonth * perToken;
  const growth = d.current / d.baseline - 1;
  const prompt = d.prompt_id === null ? 'its prompt with no prompt_id' : `prompt ${d.prompt_id}`;
  return {
    key: findingKey('prompt_drift', d.feature, d.prompt_id),
    kind: 'prompt_drift',
    severity: 'warn',
    feature: d.feature,
    subject: d.prompt_id,
    first_seen: dayStamp(d.onset),
    last_seen: dayStamp(d.lastDay),
    impact_usd_month: usd(impact),
    summary:
      `${d.feature}'s ${prompt} grew from ${formatCount(Math.round(d.baseline))} to ${formatCount(Math.round(d.current))} input tokens ` +
      `a call (+${Math.round(growth * 100)}%) since ${d.onset}${d.shape === 'trend' ? `, about ${formatCount(Math.round(d.slope))} more every day` : ''}; ` +
      `the extra tokens cost about ${formatUsd(usd(impact))} a month.`,
    evidence: {
      prompt_id: d.prompt_id,
      shape: d.shape,
      baseline_input_tokens_per_call: rounded(d.baseline, 5),
      current_input_tokens_per_call: rounded(d.current, 5),
      growth: rounded(growth, 4),
      trend_tokens_per_day: rounded(d.slope, 4),
      calls_per_month: Math.round(d.callsPerMonth),
      cache_hit_rate: rounded(d.cacheHitRate, 3),
      model: d.model.model,
      usd_per_input_token: rounded(perToken, 4),
      price_basis: rates ? 'price list' : 'observed spend per token',
    },
    ongoing: d.lastDay >= addDays(asOf, -7),
  };
}
