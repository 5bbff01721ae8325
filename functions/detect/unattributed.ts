import type { FinopsConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, share, usd } from './estimates.js';
import { dayModelRows, type DayModelRow } from './ledger-reads.js';
import { daysOf, groupBy, total } from './series.js';
import { bestStep } from './stats/change-point.js';

/**
 * unattributed_spend: spend nobody can be charged for, on calls with no feature or no segment (CONTRACT.md counts
 * both as unattributed).
 *
 * The share of spend over the last 7 days of the attribution window: a warn above unattributed.max_share (5%),
 * info above unattributed.info_share (1%). Its onset: where the daily share stepped up across that threshold (the
 * best single step, least squares), or, when it was above it all along, the first day of the window with spend.
 * The impact is the unattributed spend of a month at the last 7 days' rate. The finding has no feature (its
 * evidence names the features whose calls most often lack a segment).
 */

export const unattributedSpend: Detector = {
  name: 'unattributed_spend',
  kinds: ['unattributed_spend'],
  lookbackDays: (config) => config.detectors.lookback_days.attribution,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.attribution);
    const rows = (await dayModelRows(context)).filter((r) => r.day >= window.from && r.day < window.to);
    return unattributedFindings(rows, context.config, window.from, window.to);
  },
};

/** The spend of a row with no feature (all of it) or no segment. */
const unattributed = (r: DayModelRow) => (r.feature === null ? r.spend_usd : r.no_segment_spend_usd);

/** Findings from given rows over the days [from, to). Exported for tests on given rows. */
export function unattributedFindings(rows: readonly DayModelRow[], config: FinopsConfig, from: string, to: string): DetectedFinding[] {
  const u = config.detectors.unattributed;
  const byDay = groupBy(rows, (r) => r.day);
  const days = daysOf(from, to).filter((day) => total(byDay.get(day) ?? [], (r) => r.spend_usd) > 0);
  if (days.length < 7) return [];
  const since = addDays(to, -7);
  const week = rows.filter((r) => r.day >= since);
  const weekSpend = total(week, (r) => r.spend_usd);
  if (weekSpend <= 0) return [];
  const current = total(week, unattributed) / weekSpend;
  if (current <= u.info_share) return [];
  const threshold = current > u.max_share ? u.max_share : u.info_share;

  const shares = days.map((day) => {
    const r = byDay.get(day)!;
    return total(r, unattributed) / total(r, (x) => x.spend_usd);
  });
  const step = bestStep(shares, 3);
  const onset = step && step.before <= threshold && step.after > threshold ? days[step.index]! : days[0]!;

  const noFeature = total(week.filter((r) => r.feature === null), (r) => r.spend_usd) / weekSpend;
  const noSegment = current - noFeature;
  const worst = [...groupBy(week.filter((r) => r.feature !== null), (r) => r.feature!)]
    .map(([feature, g]) => ({ feature, spend: total(g, (r) => r.no_segment_spend_usd) }))
    .filter((f) => f.spend > 0)
    .sort((a, b) => b.spend - a.spend || a.feature.localeCompare(b.feature))
    .slice(0, 3);
  const monthly = (total(week, unattributed) / 7) * daysPerMonth;
  return [
    {
      key: findingKey('unattributed_spend', null),
      kind: 'unattributed_spend',
      severity: current > u.max_share ? 'warn' : 'info',
      feature: null,
      subject: null,
      first_seen: dayStamp(onset),
      last_seen: dayStamp(days.at(-1)!),
      impact_usd_month: usd(monthly),
      summary:
        `${formatPercent(current)} of spend (${formatUsd(usd(monthly))} a month) has no feature or no segment ` +
        `(${formatPercent(noFeature)} no feature, ${formatPercent(noSegment)} no segment` +
        (worst.length > 0 ? `, most of it in ${worst[0]!.feature}` : '') +
        '): nobody can be charged for it.',
      evidence: {
        share: share(current),
        no_feature_share: share(noFeature),
        no_segment_share: share(noSegment),
        threshold: threshold,
        unattributed_usd_month: usd(monthly),
        features_missing_segments: worst.map((f) => ({ feature: f.feature, spend_usd_week: usd(f.spend) })),
      },
      ongoing: true,
    },
  ];
}
