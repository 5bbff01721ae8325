import { median } from 'simple-statistics';
import type { FinopsConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { hourStamp } from '../findings/stamps.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type DetectContext, type Detector } from './detector.js';
import { daysPerMonth, rounded, share, usd } from './estimates.js';
import { hourModelRows, retryHourRows, type HourModelRow } from './ledger-reads.js';
import { dayMs, groupBy, msPerHour } from './series.js';
import { poissonUpperTail } from './stats/poisson-tail.js';
import { runs } from './stats/runs.js';

/**
 * retry_storm: a model that suddenly needs many attempts per logical request, so every request costs several
 * times what it should ("a degraded model retried five times becomes 5x more expensive overnight").
 *
 * Per model and hour: logical requests (attempt 1), retried requests (those with an attempt 2) and attempts. The
 * model's baseline is the median, over the days of the window, of its daily share of retried requests (robust to
 * the storm's own days). An hour is stormy when all of these hold:
 *   requests >= retries.min_requests_per_hour (5)                      enough traffic to judge,
 *   attempts / requests >= retries.attempts_per_request_warn (1.5)     the cost has jumped,
 *   P(X >= retried | X ~ Poisson(baseline share x requests)) < 1e-6    far beyond the model's usual failures.
 * The test counts retried requests, not attempts: one request retried four times is one failure, so a quiet hour
 * with one unlucky request is not a storm. Stormy hours with at most one calm hour between them are one storm;
 * it pages when an hour reaches retries.attempts_per_request_page (2), else warns. The feature named is the one
 * with most of the excess retry spend (retry spend above the model's usual retry share of spend).
 */

export const retryStorm: Detector = {
  name: 'retry_storm',
  kinds: ['retry_storm'],
  lookbackDays: (config) => config.detectors.lookback_days.retries,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.retries);
    const rows = await retryHourRows(context);
    return retryStorms(rows, context.config, dayMs(window.from), dayMs(window.to), dayMs(window.from));
  },
};

/** A storm must be this unlikely under the model's usual failure rate. */
export const stormPValue = 1e-6;

/**
 * The hourly scan's storms: the hours from the day before `cutoff`'s day up to `cutoff`, with the week before as
 * the baseline.
 */
export async function scanRetryStorms(context: DetectContext, cutoff: number): Promise<DetectedFinding[]> {
  const cutoffDay = new Date(cutoff).toISOString().slice(0, 10);
  const judgeFrom = dayMs(addDays(cutoffDay, -1));
  const from = addDays(cutoffDay, -8);
  const rows = await hourModelRows(context, from, new Date(cutoff).toISOString());
  return retryStorms(rows, context.config, dayMs(from), cutoff, judgeFrom);
}

interface Hour {
  requests: number;
  retried: number;
  calls: number;
  failed: number;
  spend: number;
  retrySpend: number;
  rows: HourModelRow[];
}

/**
 * Storms in the hours [judgeFrom, to) of the rows (which cover [from, to); the days before judgeFrom serve as
 * baseline only). Exported for tests on given rows.
 */
export function retryStorms(rows: readonly HourModelRow[], config: FinopsConfig, from: number, to: number, judgeFrom: number): DetectedFinding[] {
  const r = config.detectors.retries;
  const findings: DetectedFinding[] = [];
  const hoursCount = Math.round((to - from) / msPerHour);
  const firstJudged = Math.round((judgeFrom - from) / msPerHour);
  for (const group of groupBy(rows, (row) => JSON.stringify([row.provider, row.model])).values()) {
    const hours = hourly(group, from, hoursCount);
    const baseline = baselineOf(hours);
    const stormy = stormyHours(hours, baseline, r, firstJudged);
    // a storm confined to one feature's calls can drown in a busier feature's calm traffic on the same model:
    // each feature's own traffic on the model is judged too, against its own baseline
    const features = new Map<string | null, { hours: Hour[]; baseline: Baseline; stormy: boolean[] }>();
    for (const [feature, mine] of groupBy(group, (row) => row.feature)) {
      const featureHours = hourly(mine, from, hoursCount);
      const featureBaseline = baselineOf(featureHours);
      const featureStormy = stormyHours(featureHours, featureBaseline, r, firstJudged);
      features.set(feature, { hours: featureHours, baseline: featureBaseline, stormy: featureStormy });
      featureStormy.forEach((flag, i) => (stormy[i] ||= flag));
    }
    for (const run of runs(stormy, maxCalmHours)) {
      const inRun = (k: number) => stormy[run.start + k]!;
      const span = hours.slice(run.start, run.end + 1).filter((_, k) => inRun(k));
      const ongoing = run.end >= hoursCount - 2;
      const wholeModel = span.some((h, k) => h.requests > 0 && stormyHours([h], baseline, r, 0)[0] && inRun(k));
      if (wholeModel) {
        findings.push(stormFinding(group[0]!, span, baseline, from + run.start * msPerHour, from + run.end * msPerHour, ongoing, r.attempts_per_request_page));
        continue;
      }
      // only some features' calls stormed: describe the storm by the one carrying most of its retries
      const [, own] = [...features].sort(
        ([a, x], [b, y]) => count(y.stormy, run.start, run.end) - count(x.stormy, run.start, run.end) || String(a).localeCompare(String(b)),
      )[0]!;
      const ownSpan = own.hours.slice(run.start, run.end + 1).filter((_, k) => inRun(k) && own.hours[run.start + k]!.requests > 0);
      findings.push(stormFinding(group[0]!, ownSpan, own.baseline, from + run.start * msPerHour, from + run.end * msPerHour, ongoing, r.attempts_per_request_page));
    }
  }
  return findings;
}

function count(flags: readonly boolean[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i <= end; i++) if (flags[i]) n++;
  return n;
}

/** Stormy hours at most this many calm (or too quiet to judge) hours apart are one storm. */
export const maxCalmHours = 2;

/** Sums rows into one Hour per hour of [from, from + count hours). */
function hourly(rows: readonly HourModelRow[], from: number, count: number): Hour[] {
  const hours: Hour[] = Array.from({ length: count }, () => ({ requests: 0, retried: 0, calls: 0, failed: 0, spend: 0, retrySpend: 0, rows: [] }));
  for (const row of rows) {
    const hour = hours[Math.round((row.hour - from) / msPerHour)];
    if (!hour) continue;
    hour.requests += row.requests;
    hour.retried += row.retried_requests;
    hour.calls += row.calls;
    hour.failed += row.failed_calls;
    hour.spend += row.spend_usd;
    hour.retrySpend += row.retry_spend_usd;
    hour.rows.push(row);
  }
  return hours;
}

/** The hours from `first` on that pass the three tests of a storm. */
function stormyHours(hours: readonly Hour[], baseline: Baseline, r: FinopsConfig['detectors']['retries'], first: number): boolean[] {
  return hours.map(
    (h, i) =>
      i >= first &&
      h.requests >= r.min_requests_per_hour &&
      h.calls / h.requests >= r.attempts_per_request_warn &&
      poissonUpperTail(h.retried, baseline.retriedShare * h.requests) < stormPValue,
  );
}

interface Baseline {
  retriedShare: number;
  attemptsPerRequest: number;
  retrySpendShare: number;
}

/** The model's usual day: medians over its days with at least 20 requests (all its days pooled if fewer than 3). */
function baselineOf(hours: readonly Hour[]): Baseline {
  const days: Hour[] = [];
  for (let i = 0; i < hours.length; i += 24) {
    const day = hours.slice(i, i + 24);
    days.push(day.reduce((a, h) => ({ ...a, requests: a.requests + h.requests, retried: a.retried + h.retried, calls: a.calls + h.calls, spend: a.spend + h.spend, retrySpend: a.retrySpend + h.retrySpend }), { requests: 0, retried: 0, calls: 0, failed: 0, spend: 0, retrySpend: 0, rows: [] } as Hour));
  }
  const busy = days.filter((d) => d.requests >= 20);
  const pooled = days.reduce((a, d) => ({ requests: a.requests + d.requests, retried: a.retried + d.retried, calls: a.calls + d.calls, spend: a.spend + d.spend, retrySpend: a.retrySpend + d.retrySpend }), { requests: 0, retried: 0, calls: 0, spend: 0, retrySpend: 0 });
  const use = busy.length >= 3;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    retriedShare: Math.max(0.002, use ? median(busy.map((d) => ratio(d.retried, d.requests))) : ratio(pooled.retried, pooled.requests)),
    attemptsPerRequest: Math.max(1, use ? median(busy.map((d) => ratio(d.calls, d.requests))) : ratio(pooled.calls, pooled.requests) || 1),
    retrySpendShare: use ? median(busy.map((d) => ratio(d.retrySpend, d.spend))) : ratio(pooled.retrySpend, pooled.spend),
  };
}

function stormFinding(model: HourModelRow, span: Hour[], baseline: Baseline, start: number, end: number, ongoing: boolean, pageAt: number): DetectedFinding {
  const sum = (f: (h: Hour) => number) => span.reduce((a, h) => a + f(h), 0);
  const requests = sum((h) => h.requests);
  const calls = sum((h) => h.calls);
  const spend = sum((h) => h.spend);
  const retrySpend = sum((h) => h.retrySpend);
  const excess = Math.max(0, retrySpend - baseline.retrySpendShare * spend);
  const attempts = calls / requests;
  const maxAttempts = Math.max(...span.filter((h) => h.requests > 0).map((h) => h.calls / h.requests));

  // the feature carrying most of the excess retry spend (retry calls where nothing is priced)
  const byFeature = new Map<string | null, { excess: number; retries: number }>();
  for (const row of span.flatMap((h) => h.rows)) {
    const f = byFeature.get(row.feature) ?? { excess: 0, retries: 0 };
    f.excess += row.retry_spend_usd - baseline.retrySpendShare * row.spend_usd;
    f.retries += row.retry_calls;
    byFeature.set(row.feature, f);
  }
  const [feature] = [...byFeature.entries()].sort(([a, x], [b, y]) => y.excess - x.excess || y.retries - x.retries || String(a).localeCompare(String(b)))[0]!;
  const spanHours = Math.round((end - start) / msPerHour) + 1;
  const startStamp = hourStamp(start);
  const endText = new Date(end + msPerHour).toISOString().slice(11, 16);
  const when =
    startStamp.slice(0, 10) === new Date(end).toISOString().slice(0, 10)
      ? `on ${startStamp.slice(0, 10)} from ${startStamp.slice(11, 16)} to ${endText} UTC`
      : `from ${startStamp.slice(0, 10)} ${startStamp.slice(11, 16)} to ${hourStamp(end).slice(0, 10)} ${endText} UTC`;
  return {
    key: findingKey('retry_storm', model.model, startStamp.slice(0, 10)),
    kind: 'retry_storm',
    severity: maxAttempts >= pageAt ? 'page' : 'warn',
    feature,
    subject: model.model,
    first_seen: startStamp,
    last_seen: hourStamp(end),
    impact_usd_month: usd(ongoing ? (excess / spanHours) * 24 * daysPerMonth : excess),
    summary:
      `${model.model} took ${attempts.toFixed(1)} attempts per request (usually ${baseline.attemptsPerRequest.toFixed(2)}) ${when}, ` +
      `mostly in ${feature ?? 'calls with no feature'}; its retries cost ${formatUsd(usd(excess))} more than usual.`,
    evidence: {
      provider: model.provider,
      model: model.model,
      stormy_hours: span.length,
      requests,
      attempts: calls,
      attempts_per_request: rounded(attempts, 3),
      max_hourly_attempts_per_request: rounded(maxAttempts, 3),
      usual_attempts_per_request: rounded(baseline.attemptsPerRequest, 3),
      retried_request_share: share(sum((h) => h.retried) / requests),
      usual_retried_request_share: share(baseline.retriedShare),
      failed_attempts: sum((h) => h.failed),
      spend_usd: usd(spend),
      retry_spend_usd: usd(retrySpend),
      retry_spend_share: share(spend > 0 ? retrySpend / spend : 0),
      usual_retry_spend_share: share(baseline.retrySpendShare),
      excess_retry_spend_usd: usd(excess),
    },
    ongoing,
  };
}
