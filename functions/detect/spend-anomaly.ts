import { median } from 'simple-statistics';
import type { FinopsConfig } from '../config/finops-config.js';
import { findingKey, maxSeverity, type DetectedFinding, type Severity } from '../findings/finding.js';
import { dayStamp, hourStamp } from '../findings/stamps.js';
import { formatUsd } from '../money.js';
import { addDays, daysBetween } from '../time/days.js';
import { lookbackWindow, type DetectContext, type Detector } from './detector.js';
import { daysPerMonth, rounded, usd } from './estimates.js';
import { featureHourRows, sharedFeatureHours, sharedFrom, type FeatureHourRow } from './ledger-reads.js';
import { rootCause, type Contributor } from './root-cause.js';
import { logOffset, logRatio, residualScale, seasonalExpectations } from './seasonal-expectation.js';
import { dayMs, daysOf, groupBy, msPerHour } from './series.js';
import { robustScale } from './stats/robust-scale.js';
import { runs } from './stats/runs.js';

/**
 * spend_anomaly: a feature's spend far above what its day (or, for the current day, its hour) should have cost.
 *
 * Daily: each day of the window is judged against its seasonal, robust expectation (seasonal-expectation.ts: the
 * same weekday of up to 8 weeks before, scaled by the change in level, median of the guesses) with the robust scale
 * of the log residuals of the 28 days before it. A day is anomalous when all of these hold:
 *   z = ln(actual / expected) / scale >= anomaly.z_warn (3)       far outside its own noise,
 *   actual - expected >= anomaly.min_impact_usd_day ($25)          worth money (see info below),
 *   (actual - expected) / expected >= anomaly.min_excess_share (25%) material, however quiet the series.
 * It pages when z >= anomaly.z_page (5) and the excess >= anomaly.page_impact_usd_day ($100); otherwise it warns.
 * A day that passes the first and last tests with an excess under the dollar floor (but at least a tenth of it)
 * is reported as info: found, never a warn or a page, so small features do not page.
 * Anomalous days at most two quiet days apart are one finding; its onset is refined to the hour: the first hour
 * of the first day that is anomalous against the hourly profile of the 14 days before.
 *
 * Hourly (the anomaly-scan job): the hours of the current day (and the day before it) are judged against the
 * day's expectation spread over the feature's hourly profile, with the robust scale of the hourly log residuals
 * of the 7 days before, the same z thresholds, and per hour 1/24 of the daily dollar floor; a run of anomalous
 * hours (one quiet hour allowed inside) is a finding once its excess reaches the daily floor.
 *
 * Each finding names its root cause (root-cause.ts): the model, segment or prompt carrying most of the excess.
 * Its key holds the onset day, so the hourly scan and the next morning's daily run update the same row.
 */

export const spendAnomaly: Detector = {
  name: 'spend_anomaly',
  kinds: ['spend_anomaly'],
  lookbackDays: (config) => config.detectors.lookback_days.anomalies,
  detect: detectDailySpendAnomalies,
};

/**
 * Anomalous days at most this many quiet days apart are one anomaly: a surge that lasts through a weekend, whose
 * quieter days fall under the dollar floor, is one problem with one onset.
 */
export const maxQuietDays = 2;

interface Thresholds {
  zWarn: number;
  zPage: number;
  minImpactDay: number;
  pageImpactDay: number;
  minShare: number;
}

function thresholds(config: FinopsConfig): Thresholds {
  const a = config.detectors.anomaly;
  return {
    zWarn: a.z_warn,
    zPage: a.z_page,
    minImpactDay: Number(a.min_impact_usd_day),
    pageImpactDay: Number(a.page_impact_usd_day),
    minShare: a.min_excess_share,
  };
}

/** One feature's spend: a value per day of [from, to), and per hour of those days (24 per day). */
export interface FeatureSpend {
  feature: string | null;
  days: string[];
  daily: number[];
  hourly: number[];
  expected: (number | null)[];
  offset: number;
}

/** Dense daily and hourly spend per feature from the sparse hourly rows. */
export function featureSpend(rows: readonly FeatureHourRow[], from: string, to: string): FeatureSpend[] {
  const days = daysOf(from, to);
  const start = dayMs(from);
  const out: FeatureSpend[] = [];
  for (const [feature, group] of groupBy(rows, (r) => r.feature)) {
    const daily = new Array<number>(days.length).fill(0);
    const hourly = new Array<number>(days.length * 24).fill(0);
    for (const row of group) {
      const h = Math.round((row.hour - start) / msPerHour);
      if (h < 0 || h >= hourly.length) continue;
      hourly[h]! += row.spend_usd;
      daily[Math.floor(h / 24)]! += row.spend_usd;
    }
    const expected = seasonalExpectations(daily);
    out.push({ feature, days, daily, hourly, expected, offset: logOffset(expected) });
  }
  return out.sort((a, b) => String(a.feature).localeCompare(String(b.feature)));
}

interface DayJudgement {
  actual: number;
  expected: number;
  excess: number;
  z: number;
  scale: number;
  anomalous: boolean;
  severity: Severity;
}

/** Judges day i of a feature's spend; undefined without enough history. */
export function judgeDay(s: FeatureSpend, i: number, t: Thresholds): DayJudgement | undefined {
  const expected = s.expected[i];
  if (expected === null || expected === undefined) return undefined;
  const scale = residualScale(s.daily, s.expected, i - 28, i, s.offset);
  if (scale === undefined) return undefined;
  const actual = s.daily[i]!;
  const excess = actual - expected;
  const z = logRatio(actual, expected, s.offset) / scale;
  const material = expected > 0 ? excess / expected >= t.minShare : excess > 0;
  const anomalous = z >= t.zWarn && excess >= t.minImpactDay / 10 && material;
  const severity: Severity = excess < t.minImpactDay ? 'info' : z >= t.zPage && excess >= t.pageImpactDay ? 'page' : 'warn';
  return { actual, expected, excess, z, scale, anomalous, severity };
}

interface HourJudgement {
  /** Epoch ms of the hour. */
  hour: number;
  actual: number;
  expected: number;
  excess: number;
  z: number;
  anomalous: boolean;
}

/**
 * Judges each hour of day i against the day's expectation spread over the hourly profile of the 14 days before
 * (the median share of each hour), with the robust scale of the hourly log residuals of the 7 days before. Hours
 * from `fromHour` up to `toHour` (exclusive) of the day are judged. undefined without enough history.
 */
export function judgeHours(s: FeatureSpend, i: number, t: Thresholds, fromHour = 0, toHour = 24): HourJudgement[] | undefined {
  const dayExpected = s.expected[i];
  if (dayExpected === null || dayExpected === undefined || i < 14) return undefined;
  const profile = hourlyProfile(s, i);
  const offset = s.offset / 24;
  const residuals: number[] = [];
  for (let j = i - 7; j < i; j++) {
    const e = s.expected[j];
    if (e === null || e === undefined) continue;
    for (let h = 0; h < 24; h++) residuals.push(logRatio(s.hourly[j * 24 + h]!, e * profile[h]!, offset));
  }
  if (residuals.length < 72) return undefined;
  const scale = Math.max(0.1, robustScale(residuals));
  const out: HourJudgement[] = [];
  for (let h = fromHour; h < toHour; h++) {
    const actual = s.hourly[i * 24 + h]!;
    const expected = dayExpected * profile[h]!;
    const excess = actual - expected;
    const z = logRatio(actual, expected, offset) / scale;
    const material = expected > 0 ? excess / expected >= t.minShare : excess > 0;
    out.push({
      hour: dayMs(s.days[i]!) + h * msPerHour,
      actual,
      expected,
      excess,
      z,
      anomalous: z >= t.zWarn && excess >= t.minImpactDay / 24 && material,
    });
  }
  return out;
}

/** The median share of each hour of the day over the 14 days before day i, normalized to sum to 1. */
function hourlyProfile(s: FeatureSpend, i: number): number[] {
  const profile = Array.from({ length: 24 }, (_, h) => {
    const shares: number[] = [];
    for (let j = i - 14; j < i; j++) if (s.daily[j]! > 0) shares.push(s.hourly[j * 24 + h]! / s.daily[j]!);
    return shares.length > 0 ? median(shares) : 1 / 24;
  });
  const sum = profile.reduce((a, b) => a + b, 0);
  return sum > 0 ? profile.map((p) => p / sum) : profile.map(() => 1 / 24);
}

/**
 * The hour an anomalous day's excess began: its first anomalous hour, if the hours before it carry less than a
 * tenth of the day's excess (a runaway loop from 09:00). A day that ran high from midnight (a lasting step, where
 * the quiet night hours are too small to flag one by one) keeps the day as its onset: undefined.
 */
export function onsetWithinDay(hours: readonly HourJudgement[] | undefined, dayExcess: number): number | undefined {
  const first = hours?.findIndex((h) => h.anomalous) ?? -1;
  if (!hours || first < 0) return undefined;
  const before = hours.slice(0, first).reduce((sum, h) => sum + Math.max(0, h.excess), 0);
  return before < 0.1 * dayExcess ? hours[first]!.hour : undefined;
}

/**
 * Whether an anomaly on the window's last day was still going at its end: not when its anomalous hours stopped
 * three hours or more before midnight and the hours since are back to normal, within the material share of
 * their expectation (a loop that ran from 10:00 to 14:00 is over; a surge all day long, whose quiet night hours
 * are too small to flag one by one, is not).
 */
function stillHigh(hours: readonly HourJudgement[] | undefined, t: Thresholds): boolean {
  const last = hours?.findLastIndex((h) => h.anomalous) ?? -1;
  if (!hours || last < 0 || last >= 21) return true;
  const after = hours.slice(last + 1);
  const actual = after.reduce((sum, h) => sum + h.actual, 0);
  const expected = after.reduce((sum, h) => sum + h.expected, 0);
  return actual > (1 + t.minShare) * expected + t.minImpactDay / 24;
}

/** The daily detector: every day of the anomalies window, as if the daily job had run each morning. */
async function detectDailySpendAnomalies(context: DetectContext): Promise<DetectedFinding[]> {
  const { asOf, config } = context;
  const window = lookbackWindow(asOf, config.detectors.lookback_days.anomalies);
  const readFrom = sharedFrom(context);
  const rows = await sharedFeatureHours(context);
  const t = thresholds(config);
  const findings: DetectedFinding[] = [];
  for (const s of featureSpend(rows, readFrom, window.to)) {
    const first = daysBetween(readFrom, window.from);
    const judged = s.daily.map((_, i) => (i < first ? undefined : judgeDay(s, i, t)));
    for (const run of runs(judged.map((j) => j?.anomalous ?? false), maxQuietDays)) {
      const days = judged.slice(run.start, run.end + 1).filter((d): d is DayJudgement => d !== undefined);
      const onsetHour = onsetWithinDay(judgeHours(s, run.start, t), days[0]!.excess) ?? dayMs(s.days[run.start]!);
      const excess = days.reduce((sum, d) => sum + d.excess, 0);
      const dayNames = s.days.slice(run.start, run.end + 1);
      const cause = await rootCause(context, s.feature, dayNames, excess);
      const ongoing = run.end === s.days.length - 1 && stillHigh(judgeHours(s, run.end, t), t);
      findings.push(
        anomalyFinding({
          feature: s.feature,
          firstSeen: hourStamp(onsetHour),
          lastSeen: dayStamp(dayNames.at(-1)!),
          days: dayNames,
          actual: days.reduce((sum, d) => sum + d.actual, 0),
          expected: days.reduce((sum, d) => sum + d.expected, 0),
          excess,
          z: Math.max(...days.map((d) => d.z)),
          scale: days[0]!.scale,
          severity: days.reduce<Severity>((worst, d) => (d.anomalous ? maxSeverity(worst, d.severity) : worst), 'info'),
          impact: ongoing ? (excess / days.length) * daysPerMonth : excess,
          ongoing,
          grain: 'day',
          cause: cause.cause,
          top: cause.top,
        }),
      );
    }
  }
  return findings;
}

/**
 * The hourly scan (anomaly-scan): the hours of the day before `cutoff`'s day and of `cutoff`'s day up to `cutoff`
 * (epoch ms at an hour start), as if the scan had run every hour of them.
 */
export async function scanHourlySpend(context: DetectContext, cutoff: number): Promise<DetectedFinding[]> {
  const { config } = context;
  const t = thresholds(config);
  const cutoffDay = new Date(cutoff).toISOString().slice(0, 10);
  const scanFrom = addDays(cutoffDay, -1);
  const readFrom = scanReadFrom(cutoff);
  const readTo = addDays(cutoffDay, 1);
  const rows = await featureHourRows(context, readFrom, new Date(cutoff).toISOString());
  const findings: DetectedFinding[] = [];
  for (const s of featureSpend(rows, readFrom, readTo)) {
    const hours: HourJudgement[] = [];
    for (const day of [scanFrom, cutoffDay]) {
      const i = daysBetween(readFrom, day);
      const toHour = day === cutoffDay ? Math.round((cutoff - dayMs(day)) / msPerHour) : 24;
      hours.push(...(judgeHours(s, i, t, 0, toHour) ?? []));
    }
    for (const run of runs(hours.map((h) => h.anomalous), 1)) {
      const span = hours.slice(run.start, run.end + 1).filter((h) => h.anomalous);
      const excess = span.reduce((sum, h) => sum + h.excess, 0);
      if (excess < t.minImpactDay) continue;
      const maxZ = Math.max(...span.map((h) => h.z));
      const days = [...new Set(span.map((h) => new Date(h.hour).toISOString().slice(0, 10)))];
      const cause = await rootCause(context, s.feature, days, excess);
      const ongoing = run.end >= hours.length - 2;
      findings.push(
        anomalyFinding({
          feature: s.feature,
          firstSeen: hourStamp(span[0]!.hour),
          lastSeen: hourStamp(span.at(-1)!.hour),
          days,
          actual: span.reduce((sum, h) => sum + h.actual, 0),
          expected: span.reduce((sum, h) => sum + h.expected, 0),
          excess,
          z: maxZ,
          scale: 0,
          severity: maxZ >= t.zPage && excess >= t.pageImpactDay ? 'page' : 'warn',
          impact: ongoing ? (excess / span.length) * 24 * daysPerMonth : excess,
          ongoing,
          grain: 'hour',
          cause: cause.cause,
          top: cause.top,
        }),
      );
    }
  }
  return findings;
}

/**
 * Days of history the hourly scan reads before the day it starts on: the expectation of each of the 7 days before
 * (for the hourly residuals) needs 8 same weekdays and a week of level before them: 7 + 56 + 7.
 */
const scanHistoryDays = 70;

/** The first day the hourly scan reads. */
function scanReadFrom(cutoff: number): string {
  return addDays(new Date(cutoff).toISOString().slice(0, 10), -1 - scanHistoryDays);
}

interface AnomalyFacts {
  feature: string | null;
  firstSeen: string;
  lastSeen: string;
  days: string[];
  actual: number;
  expected: number;
  excess: number;
  z: number;
  scale: number;
  severity: Severity;
  impact: number;
  ongoing: boolean;
  grain: 'day' | 'hour';
  cause: Contributor | undefined;
  top: Contributor[];
}

function anomalyFinding(f: AnomalyFacts): DetectedFinding {
  const name = f.feature ?? 'Calls with no feature';
  const days = f.days.length === 1 ? `on ${f.days[0]}` : `from ${f.days[0]} to ${f.days.at(-1)}`;
  const startHour = f.firstSeen.slice(11, 16);
  const endHour = new Date(Date.parse(f.lastSeen) + msPerHour).toISOString().slice(11, 16);
  const when =
    f.grain === 'hour'
      ? f.days.length === 1
        ? `on ${f.days[0]} from ${startHour} to ${endHour} UTC`
        : `from ${f.firstSeen.slice(0, 10)} ${startHour} to ${f.lastSeen.slice(0, 10)} ${endHour} UTC`
      : startHour === '00:00'
        ? days
        : `${days}, from ${startHour} UTC,`;
  const ratio = f.expected > 0 ? f.actual / f.expected : null;
  const customer = f.top.find((c) => c.dimension === 'customer_id' && c.share >= 0.5);
  const cause = f.cause
    ? `; ${Math.round(f.cause.share * 100)}% of the ${formatUsd(usd(f.excess))} excess came from ${label(f.cause)}` +
      (customer ? `, mostly customer ${customer.value}` : '')
    : '';
  const period = f.grain === 'hour' ? ' for those hours' : '';
  return {
    key: findingKey('spend_anomaly', f.feature, f.days[0]!),
    kind: 'spend_anomaly',
    severity: f.severity,
    feature: f.feature,
    subject: f.cause ? `${f.cause.dimension}=${f.cause.value ?? '-'}` : null,
    first_seen: f.firstSeen,
    last_seen: f.lastSeen,
    impact_usd_month: usd(f.impact),
    summary:
      `${name} spent ${formatUsd(usd(f.actual))} ${when} against ${formatUsd(usd(f.expected))} expected${period}` +
      (ratio !== null ? ` (${ratio.toFixed(1)}x)` : '') +
      cause +
      '.',
    evidence: {
      grain: f.grain,
      days: f.days,
      spend_usd: usd(f.actual),
      expected_usd: usd(f.expected),
      excess_usd: usd(f.excess),
      ratio: ratio === null ? null : rounded(ratio),
      robust_z: rounded(f.z, 3),
      ...(f.scale > 0 ? { robust_sd_log: rounded(f.scale, 3) } : {}),
      root_cause: f.cause ? contributor(f.cause) : null,
      top_contributors: f.top.map(contributor),
    },
    ongoing: f.ongoing,
  };
}

function label(c: Contributor): string {
  const names = { model: 'model', segment: 'segment', prompt_id: 'prompt', customer_id: 'customer' } as const;
  return `${names[c.dimension]} ${c.value ?? '(none)'}`;
}

function contributor(c: Contributor) {
  return { dimension: c.dimension, value: c.value, excess_usd: usd(c.excess_usd), share: c.share, usual_share: c.usual_share };
}
