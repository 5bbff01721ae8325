import { median } from 'simple-statistics';
import type { FinopsConfig } from '../config/finops-config.js';
import { featureConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding, type Severity } from '../findings/finding.js';
import { hourStamp } from '../findings/stamps.js';
import { formatUsd } from '../money.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, usd } from './estimates.js';
import { attemptHourRows, retryHourRows, type AttemptHourRow, type HourModelRow } from './ledger-reads.js';
import { dayMs, groupBy, msPerHour } from './series.js';
import { poissonUpperTail } from './stats/poisson-tail.js';
import { runs } from './stats/runs.js';

/**
 * retry_cap_exceeded: logical requests that made more attempts than their feature's `retry_cap` allows, so the
 * client does not enforce the cap and a degraded model can multiply the bill.
 *
 * A request past a cap of N attempts has exactly one attempt numbered N + 1, so the over-cap requests of an hour
 * are the feature's attempts numbered cap + 1, and the money wasted is the spend of every attempt numbered above
 * the cap. Two shapes:
 * - a burst: hours whose over-cap requests are far above the feature's usual share of them (P < 1e-6 under a
 *   Poisson at the median daily share), at most two hours apart, with at least `minRequests` (3) over-cap requests
 *   in all: a finding from its first hour, a warn from `warnRequests` (10), else info;
 * - the rest, requests past the cap now and then over the window: one info finding when there are at least
 *   `minSporadic` (10) of them (the cap is not enforced, but no storm has tested it yet).
 * The subject is the model most of them ran on.
 */

export const retryCap: Detector = {
  name: 'retry_cap_exceeded',
  kinds: ['retry_cap_exceeded'],
  lookbackDays: (config) => config.detectors.lookback_days.retries,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.retries);
    const attempts = await attemptHourRows(context, window.from, window.to);
    const hours = await retryHourRows(context);
    return retryCapFindings(attempts, hours, context.config, dayMs(window.from), dayMs(window.to));
  },
};

export const minRequests = 3;
export const warnRequests = 10;
export const minSporadic = 10;
export const burstPValue = 1e-6;

/** Findings from given rows covering the hours [from, to) (epoch ms). Exported for tests on given rows. */
export function retryCapFindings(
  attempts: readonly AttemptHourRow[],
  hourRows: readonly HourModelRow[],
  config: FinopsConfig,
  from: number,
  to: number,
): DetectedFinding[] {
  const count = Math.round((to - from) / msPerHour);
  const index = (hour: number) => Math.round((hour - from) / msPerHour);
  const requestsByFeature = groupBy(hourRows, (r) => r.feature);
  const findings: DetectedFinding[] = [];
  const byFeature = [...groupBy(attempts, (r) => r.feature)].sort(([a], [b]) => String(a).localeCompare(String(b)));
  for (const [feature, group] of byFeature) {
    const cap = featureConfig(config, feature).retry_cap;
    const over = new Array<number>(count).fill(0);
    const extraCalls = new Array<number>(count).fill(0);
    const extraSpend = new Array<number>(count).fill(0);
    const maxAttempt = new Array<number>(count).fill(0);
    const overByModel: Map<string, number>[] = Array.from({ length: count }, () => new Map());
    for (const row of group) {
      const h = index(row.hour);
      if (h < 0 || h >= count || row.attempt <= cap) continue;
      if (row.attempt === cap + 1) {
        over[h]! += row.calls;
        overByModel[h]!.set(row.model, (overByModel[h]!.get(row.model) ?? 0) + row.calls);
      }
      extraCalls[h]! += row.calls;
      extraSpend[h]! += row.spend_usd;
      maxAttempt[h] = Math.max(maxAttempt[h]!, row.attempt);
    }
    if (over.every((n) => n === 0)) continue;
    const requests = new Array<number>(count).fill(0);
    for (const row of requestsByFeature.get(feature) ?? []) {
      const h = index(row.hour);
      if (h >= 0 && h < count) requests[h]! += row.requests;
    }
    const share = usualShare(over, requests);
    const burst = over.map((n, h) => n > 0 && poissonUpperTail(n, share * requests[h]!) < burstPValue);

    const context = { feature, cap, from, count, over, extraCalls, extraSpend, maxAttempt, overByModel };
    const inBursts = new Array<boolean>(count).fill(false);
    for (const run of runs(burst, 2)) {
      if (sumRange(over, run.start, run.end) < minRequests) continue;
      for (let h = run.start; h <= run.end; h++) inBursts[h] = true;
      findings.push(capFinding(context, [run.start, run.end], 'burst'));
    }
    const sporadic = over.map((n, h) => n > 0 && !inBursts[h]);
    const hours = sporadic.flatMap((flag, h) => (flag ? [h] : []));
    if (hours.length > 0 && hours.reduce((sum, h) => sum + over[h]!, 0) >= minSporadic) {
      findings.push(capFinding(context, [hours[0]!, hours.at(-1)!], 'sporadic', sporadic));
    }
  }
  return findings;
}

/** The feature's usual share of requests going past the cap: the median over its days with 20 requests or more. */
function usualShare(over: readonly number[], requests: readonly number[]): number {
  const shares: number[] = [];
  for (let d = 0; d < over.length; d += 24) {
    const n = requests.slice(d, d + 24).reduce((a, b) => a + b, 0);
    if (n >= 20) shares.push(over.slice(d, d + 24).reduce((a, b) => a + b, 0) / n);
  }
  return Math.max(1e-5, shares.length >= 3 ? median(shares) : 0);
}

interface CapContext {
  feature: string | null;
  cap: number;
  from: number;
  count: number;
  over: number[];
  extraCalls: number[];
  extraSpend: number[];
  maxAttempt: number[];
  overByModel: Map<string, number>[];
}

function capFinding(c: CapContext, [start, end]: [number, number], shape: 'burst' | 'sporadic', only?: boolean[]): DetectedFinding {
  const take = (values: number[]) => values.slice(start, end + 1).reduce((sum, v, k) => sum + (only && !only[start + k] ? 0 : v), 0);
  const requests = take(c.over);
  const spend = take(c.extraSpend);
  const models = new Map<string, number>();
  for (let h = start; h <= end; h++) {
    if (only && !only[h]) continue;
    for (const [model, n] of c.overByModel[h]!) models.set(model, (models.get(model) ?? 0) + n);
  }
  const [model] = [...models.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]!;
  const most = Math.max(...c.maxAttempt.slice(start, end + 1));
  const first = hourStamp(c.from + start * msPerHour);
  const last = c.from + end * msPerHour;
  const spanHours = end - start + 1;
  const name = c.feature ?? 'Calls with no feature';
  const attemptsWord = `attempt${c.cap === 1 ? '' : 's'}`;
  const severity: Severity = shape === 'burst' && requests >= warnRequests ? 'warn' : 'info';
  let summary: string;
  let ongoing: boolean;
  let impact: number;
  if (shape === 'burst') {
    const endText = new Date(last + msPerHour).toISOString().slice(11, 16);
    const when =
      first.slice(0, 10) === hourStamp(last).slice(0, 10)
        ? `on ${first.slice(0, 10)} from ${first.slice(11, 16)} to ${endText} UTC`
        : `from ${first.slice(0, 10)} ${first.slice(11, 16)} to ${hourStamp(last).slice(0, 10)} ${endText} UTC`;
    ongoing = end >= c.count - 2;
    impact = ongoing ? (spend / spanHours) * 24 * daysPerMonth : spend;
    summary =
      `${name} let ${requests} request${requests === 1 ? '' : 's'} run past its retry cap of ${c.cap} ${attemptsWord} ${when} ` +
      `(up to ${most} attempts, mostly on ${model}); the attempts above the cap cost ${formatUsd(usd(spend))}.`;
  } else {
    ongoing = end >= c.count - 7 * 24;
    impact = (spend / (c.count / 24)) * daysPerMonth;
    summary =
      `${name} lets requests run past its retry cap of ${c.cap} ${attemptsWord} now and then: ${requests} since ${first.slice(0, 10)} ` +
      `(up to ${most} attempts, mostly on ${model}), so the cap is not enforced; the attempts above it cost ${formatUsd(usd(impact))} a month.`;
  }
  return {
    key: findingKey('retry_cap_exceeded', c.feature, shape === 'burst' ? first.slice(0, 10) : 'sporadic'),
    kind: 'retry_cap_exceeded',
    severity,
    feature: c.feature,
    subject: model,
    first_seen: first,
    last_seen: hourStamp(last),
    impact_usd_month: usd(impact),
    summary,
    evidence: {
      shape,
      retry_cap: c.cap,
      requests_over_cap: requests,
      attempts_over_cap: take(c.extraCalls),
      max_attempts: most,
      spend_over_cap_usd: usd(spend),
      models: Object.fromEntries([...models.entries()].sort(([a], [b]) => a.localeCompare(b))),
    },
    ongoing,
  };
}

function sumRange(values: readonly number[], start: number, end: number): number {
  let sum = 0;
  for (let i = start; i <= end; i++) sum += values[i]!;
  return sum;
}
