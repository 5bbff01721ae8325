import { median } from 'simple-statistics';
import type { FinopsConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { hourStamp } from '../findings/stamps.js';
import { formatCount } from '../format/table.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, rounded, usd } from './estimates.js';
import { sharedFeatureHours, sharedFrom, type FeatureHourRow } from './ledger-reads.js';
import { dayMs, groupBy, hourlySeries, msPerHour } from './series.js';
import { runs } from './stats/runs.js';

/**
 * data_gap: a feature that usually has calls logs none for hours: its logging broke, and its spend is going
 * unattributed (calls arriving without the feature tag) or unseen.
 *
 * Per feature and hour of the anomalies window, the expected calls are the median of the same weekday and hour
 * over the 4 weeks before (at least 2 of them). A gap is a run of at least data_gap.hours (6) hours with no call
 * at all in which at least data_gap.min_expected_calls (30) were expected: with Poisson arrivals, P(no call | 30
 * expected) = e^-30, so quiet nights and small features never count. Hours after the ledger's last call (of any
 * feature) are not judged: a ledger that simply has not been loaded yet is one finding with no feature (info), not
 * a gap in every feature. Each gap's evidence counts the calls with no feature above their usual level meanwhile.
 */

export const dataGap: Detector = {
  name: 'data_gap',
  kinds: ['data_gap'],
  lookbackDays: (config) => config.detectors.lookback_days.anomalies,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.anomalies);
    // the same read as spend_anomaly's, so `detect` runs it once
    const readFrom = sharedFrom(context);
    const rows = await sharedFeatureHours(context);
    return dataGaps(rows, context.config, dayMs(readFrom), dayMs(window.from), dayMs(window.to));
  },
};

const hoursPerWeek = 168;

/** Gaps in the hours [judgeFrom, to) of rows covering [from, to) (epoch ms). Exported for tests on given rows. */
export function dataGaps(rows: readonly FeatureHourRow[], config: FinopsConfig, from: number, judgeFrom: number, to: number): DetectedFinding[] {
  const { hours: minHours, min_expected_calls: minExpected } = config.detectors.data_gap;
  const findings: DetectedFinding[] = [];
  if (rows.length === 0) return findings;
  const lastCall = Math.max(...rows.map((r) => r.hour)) + msPerHour;
  const end = Math.min(to, lastCall);
  const count = Math.round((end - from) / msPerHour);
  const first = Math.round((judgeFrom - from) / msPerHour);

  const series = new Map<string | null, { calls: number[]; spend: number[] }>();
  for (const [feature, group] of groupBy(rows, (r) => r.feature)) {
    series.set(feature, {
      calls: hourlySeries(group, from, end, (r) => r.hour, (r) => r.calls),
      spend: hourlySeries(group, from, end, (r) => r.hour, (r) => r.spend_usd),
    });
  }
  const expectedOf = (values: readonly number[], i: number) => {
    const past = [1, 2, 3, 4].map((k) => i - k * hoursPerWeek).filter((j) => j >= 0).map((j) => values[j]!);
    return past.length >= 2 ? median(past) : 0;
  };
  const orphans = series.get(null);

  for (const [feature, s] of [...series].sort(([a], [b]) => String(a).localeCompare(String(b)))) {
    if (feature === null) continue;
    const expected = s.calls.map((_, i) => (i < first ? 0 : expectedOf(s.calls, i)));
    const silent = s.calls.map((c, i) => i >= first && c === 0 && expected[i]! > 0);
    for (const run of runs(silent)) {
      const length = run.end - run.start + 1;
      let expectedCalls = 0;
      let expectedSpend = 0;
      let orphanExcess = 0;
      for (let i = run.start; i <= run.end; i++) {
        expectedCalls += expected[i]!;
        expectedSpend += expectedOf(s.spend, i);
        if (orphans) orphanExcess += orphans.calls[i]! - expectedOf(orphans.calls, i);
      }
      if (length < minHours || expectedCalls < minExpected) continue;
      const ongoing = run.end === count - 1;
      const dailySpend = (s.spend.slice(Math.max(0, run.start - 168), run.start).reduce((a, b) => a + b, 0) / 7) || 0;
      const start = hourStamp(from + run.start * msPerHour);
      const orphaned = Math.max(0, Math.round(orphanExcess));
      findings.push({
        key: findingKey('data_gap', feature, start.slice(0, 10)),
        kind: 'data_gap',
        severity: 'warn',
        feature,
        subject: null,
        first_seen: start,
        last_seen: hourStamp(from + run.end * msPerHour),
        impact_usd_month: usd(ongoing ? dailySpend * daysPerMonth : expectedSpend),
        summary:
          `${feature} logged no calls for ${length} hours${ongoing ? ' and counting' : ''} from ${start.slice(0, 10)} ${start.slice(11, 16)} UTC, ` +
          `when about ${formatCount(Math.round(expectedCalls))} were expected` +
          (orphaned >= expectedCalls / 2
            ? `; meanwhile ${formatCount(orphaned)} more calls than usual had no feature: its logging may have lost the feature tag.`
            : ': its logging may be broken, and its spend unseen.'),
        evidence: {
          hours: length,
          expected_calls: rounded(expectedCalls, 4),
          expected_spend_usd: usd(expectedSpend),
          extra_calls_with_no_feature: orphaned,
          usual_spend_usd_day: usd(dailySpend),
        },
        ongoing,
      });
    }
  }

  // the ledger as a whole has been silent since its last call: not loaded yet, or every log broke
  const behind = Math.round((to - lastCall) / msPerHour);
  if (behind >= minHours && lastCall >= judgeFrom) {
    const all = [...series.values()];
    let expectedCalls = 0;
    for (let i = count; i < count + behind; i++) {
      for (const s of all) {
        const past = [1, 2, 3, 4].map((k) => i - k * hoursPerWeek).filter((j) => j >= 0 && j < s.calls.length).map((j) => s.calls[j]!);
        expectedCalls += past.length >= 2 ? median(past) : 0;
      }
    }
    if (expectedCalls >= minExpected) {
      const start = hourStamp(lastCall);
      findings.push({
        key: findingKey('data_gap', null, start.slice(0, 10)),
        kind: 'data_gap',
        severity: 'info',
        feature: null,
        subject: null,
        first_seen: start,
        last_seen: hourStamp(to - msPerHour),
        impact_usd_month: null,
        summary: `The ledger has no calls at all for the last ${behind} hours, since ${start.slice(0, 10)} ${start.slice(11, 16)} UTC: loads are behind, or every log broke.`,
        evidence: { hours: behind, expected_calls: rounded(expectedCalls, 4) },
        ongoing: true,
      });
    }
  }
  return findings;
}
