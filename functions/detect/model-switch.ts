import type { FinopsConfig } from '../config/finops-config.js';
import { featureConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatCount } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, rounded, usd } from './estimates.js';
import { dayModelRows, type DayModelRow } from './ledger-reads.js';
import { qualityOf, type Quality } from './routing.js';
import { daysOf, groupBy, total } from './series.js';
import { bestStep } from './stats/change-point.js';

/**
 * model_switch_without_eval: a feature's dominant model changed, and either its quality fell or the new model has
 * no quality data at all (the switch was never evaluated).
 *
 * Per feature over the switches window (days with at least 10 requests): the model with the most requests over
 * the last 7 days is the candidate, if it serves at least switches.min_share (60%) of them. The best single step
 * in its daily share of requests places the switch; it is a switch when its share before was at most
 * 1 - min_share, after at least min_share, and rose by at least 0.3. The old model is the one with the most
 * requests before. Quality (the calls' `quality` scores in this feature) is compared between the old model before
 * and the new one after; a finding (warn) when the new model has fewer than switches.min_quality_samples scores,
 * or its mean is below the feature's quality_bar, or it is more than switches.max_quality_drop below the old
 * model's with the difference at least 3 standard errors. The impact: with a value_per_unit_usd, the value lost
 * (relative quality drop x units a month x value per unit); otherwise the monthly spend riding on the new model.
 */

export const modelSwitchWithoutEval: Detector = {
  name: 'model_switch_without_eval',
  kinds: ['model_switch_without_eval'],
  lookbackDays: (config) => config.detectors.lookback_days.switches,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.switches);
    const rows = (await dayModelRows(context)).filter((r) => r.day >= window.from && r.day < window.to);
    return modelSwitches(rows, context.config, window.from, window.to);
  },
};

export const minDayRequests = 10;

/** Findings from given rows over the days [from, to). Exported for tests on given rows. */
export function modelSwitches(rows: readonly DayModelRow[], config: FinopsConfig, from: string, to: string): DetectedFinding[] {
  const s = config.detectors.switches;
  const findings: DetectedFinding[] = [];
  const features = [...groupBy(rows.filter((r) => r.feature !== null), (r) => r.feature!)].sort(([a], [b]) => a.localeCompare(b));
  for (const [feature, group] of features) {
    const byDay = groupBy(group, (r) => r.day);
    const valid = daysOf(from, to)
      .map((day) => ({ day, rows: byDay.get(day) ?? [] }))
      .filter((d) => total(d.rows, (r) => r.requests) >= minDayRequests);
    if (valid.length < 14) continue;

    const lastWeek = group.filter((r) => r.day >= addDays(to, -7));
    const byModel = [...groupBy(lastWeek, (r) => JSON.stringify([r.provider, r.model])).values()].sort(
      (a, b) => total(b, (r) => r.requests) - total(a, (r) => r.requests),
    );
    const top = byModel[0];
    if (!top || total(top, (r) => r.requests) / total(lastWeek, (r) => r.requests) < s.min_share) continue;
    const next = { provider: top[0]!.provider, model: top[0]!.model };
    const isNext = (r: DayModelRow) => r.model === next.model && r.provider === next.provider;

    const shares = valid.map((d) => total(d.rows.filter(isNext), (r) => r.requests) / total(d.rows, (r) => r.requests));
    const step = bestStep(shares, 3);
    if (!step || step.before > 1 - s.min_share || step.after < s.min_share || step.after - step.before < 0.3) continue;
    const switchDay = valid[step.index]!.day;

    const beforeRows = valid.slice(Math.max(0, step.index - 28), step.index).flatMap((d) => d.rows);
    const afterRows = valid.slice(step.index).flatMap((d) => d.rows);
    const previous = [...groupBy(beforeRows.filter((r) => !isNext(r)), (r) => JSON.stringify([r.provider, r.model])).values()].sort(
      (a, b) => total(b, (r) => r.requests) - total(a, (r) => r.requests),
    )[0];
    if (!previous) continue;
    const old = { provider: previous[0]!.provider, model: previous[0]!.model };
    const oldQuality = qualityOf(sums(previous));
    const newQuality = qualityOf(sums(afterRows.filter(isNext)));
    const bar = featureConfig(config, feature).quality_bar;

    const reason = judge(oldQuality, newQuality, bar, s);
    if (!reason) continue;
    const afterDays = valid.length - step.index;
    const newRows = afterRows.filter(isNext);
    const spendMonth = (total(newRows, (r) => r.spend_usd) / afterDays) * daysPerMonth;
    const unitsMonth = (total(newRows, (r) => r.ok_requests) / afterDays) * daysPerMonth;
    const value = featureConfig(config, feature).value_per_unit_usd;
    const lostValue =
      value !== null && oldQuality && newQuality && newQuality.mean < oldQuality.mean
        ? ((oldQuality.mean - newQuality.mean) / oldQuality.mean) * unitsMonth * Number(value)
        : null;
    findings.push({
      key: findingKey('model_switch_without_eval', feature, next.model),
      kind: 'model_switch_without_eval',
      severity: 'warn',
      feature,
      subject: next.model,
      first_seen: dayStamp(switchDay),
      last_seen: dayStamp(valid.at(-1)!.day),
      impact_usd_month: usd(lostValue ?? spendMonth),
      summary: `${feature} moved from ${old.model} to ${next.model} on ${switchDay} and ${sentence(reason, old.model, next.model, oldQuality, newQuality, bar)}` +
        (lostValue !== null ? `; about ${formatUsd(usd(lostValue))} of value a month is lost.` : `; ${formatUsd(usd(spendMonth))} a month now rides on it.`),
      evidence: {
        from_model: old.model,
        to_model: next.model,
        share_before: rounded(step.before, 3),
        share_after: rounded(step.after, 3),
        quality_before: oldQuality ? rounded(oldQuality.mean, 3) : null,
        scored_calls_before: oldQuality?.n ?? 0,
        quality_after: newQuality ? rounded(newQuality.mean, 3) : null,
        scored_calls_after: newQuality?.n ?? 0,
        quality_bar: bar,
        reason,
        spend_usd_month_on_new_model: usd(spendMonth),
        ...(lostValue !== null ? { value_lost_usd_month: usd(lostValue) } : {}),
      },
      ongoing: true,
    });
  }
  return findings;
}

type Reason = 'no_quality_data' | 'below_quality_bar' | 'quality_fell';

function judge(old: Quality | null, next: Quality | null, bar: number | null, s: FinopsConfig['detectors']['switches']): Reason | null {
  if (!next || next.n < s.min_quality_samples) return 'no_quality_data';
  if (bar !== null && next.mean < bar) return 'below_quality_bar';
  if (old && old.n >= s.min_quality_samples) {
    const drop = old.mean - next.mean;
    const se = Math.sqrt(old.se ** 2 + next.se ** 2);
    if (drop > s.max_quality_drop && drop >= 3 * se) return 'quality_fell';
  }
  return null;
}

function sentence(reason: Reason, from: string, to: string, old: Quality | null, next: Quality | null, bar: number | null): string {
  const before = old ? ` (${from} scored ${old.mean.toFixed(2)})` : '';
  if (reason === 'no_quality_data') {
    return next
      ? `${to} has only ${formatCount(next.n)} quality scores since${before}: the switch was not evaluated`
      : `${to} has no quality scores since${before}: the switch was never evaluated`;
  }
  if (reason === 'below_quality_bar') return `its quality of ${next!.mean.toFixed(2)} is below the feature's bar of ${bar!.toFixed(2)}${before}`;
  return `its quality fell from ${old!.mean.toFixed(2)} to ${next!.mean.toFixed(2)} (${formatCount(next!.n)} scored calls since)`;
}

function sums(rows: readonly DayModelRow[]) {
  return { quality_sum: total(rows, (r) => r.quality_sum), quality_sq_sum: total(rows, (r) => r.quality_sq_sum), quality_n: total(rows, (r) => r.quality_n) };
}
