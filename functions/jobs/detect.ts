import { DetectReader, lookbackWindow, type DetectContext, type Detector } from '../detect/detector.js';
import { detectorsByJob, type DetectorJobName } from '../detect/detectors.js';
import { scanRetryStorms } from '../detect/retry-storm.js';
import { msPerHour } from '../detect/series.js';
import { scanHourlySpend } from '../detect/spend-anomaly.js';
import type { Finding } from '../findings/finding.js';
import { stamp } from '../findings/stamps.js';
import { rankFindings, recordFindings } from '../findings/store.js';
import { addDays, dayOf, type DayRange } from '../time/days.js';
import { pageMessages } from './anomaly-pages.js';
import type { JobContext, JobResult } from './context.js';
import { deliverJobMessages, type JobMessages } from './job-messages.js';
import { refreshStaleHours } from './stale-days.js';

/**
 * The detector jobs: `detect` (every detector, daily 03:00), `drift`, `retries` and `anomalies` (one family each)
 * and `anomaly-scan` (hourly: the current day's spend anomalies and retry storms). Each first brings the stale days
 * of calls_by_hour up to date (functions/jobs/stale-days.ts), then runs its detectors over
 * their lookback windows ending the day before its as-of day, merges what they saw into the findings table
 * (functions/findings/store.ts) and returns the findings with their stored status, ranked.
 */

export interface DetectResult extends JobResult {
  findings: Finding[];
  /** What each detector looked at, and how many findings it reported. */
  detectors: { name: string; from: string; to: string; findings: number }[];
}

/** A daily detector job: runs its detectors, then resolves the stored findings of their kinds it no longer sees. */
export function detectorJob(job: DetectorJobName): (context: JobContext) => Promise<DetectResult> {
  return async (context) => {
    const detectors: readonly Detector[] = detectorsByJob[job];
    if (detectors.some((d) => d.readsHours !== false)) await refreshStaleHours(context, context.asOf, job);
    const detect = detectContext(context, job);
    const seen = [];
    const report: DetectResult['detectors'] = [];
    for (const detector of detectors) {
      const found = await detector.detect(detect);
      const window = lookbackWindow(context.asOf, detector.lookbackDays(context.config));
      report.push({ name: detector.name, ...window, findings: found.length });
      seen.push(...found);
    }
    const findings = await recordFindings(context.engine, {
      asOf: context.asOf,
      now: context.now(),
      seen,
      resolves: detectors.flatMap((d) => d.kinds),
    });
    return { job, as_of: context.asOf, findings: rankFindings(findings), detectors: report };
  };
}

export interface AnomalyScanResult extends DetectResult {
  /** The pages and resolution replies it sent (anomaly-pages.ts). */
  pages: JobMessages;
}

/**
 * The hourly scan. On its own as-of day (today) it judges the hours of yesterday and of today up to the current
 * hour; run with an earlier --as-of D, the 24 hours of D - 1, as on the morning of D. It never resolves anything:
 * it sees a day or two, and the daily jobs own the rest of the window. Then it pages (anomaly-pages.ts).
 */
export async function runAnomalyScan(context: JobContext): Promise<AnomalyScanResult> {
  const now = context.now();
  const cutoff = scanCutoff(context.asOf, now);
  // the hours up to the cutoff, today's included: the day after the one the cutoff's last instant falls on
  const through = addDays(dayOf(new Date(cutoff - 1)), 1);
  await refreshStaleHours(context, through, 'anomaly-scan');
  const detect = detectContext(context, 'anomaly-scan');
  const spend = await scanHourlySpend(detect, cutoff);
  const storms = await scanRetryStorms(detect, cutoff);
  const findings = await recordFindings(context.engine, { asOf: context.asOf, now, seen: [...spend, ...storms], resolves: [] });
  const scanned: DayRange = { from: stamp(cutoff - 24 * msPerHour - (cutoff % (24 * msPerHour))), to: stamp(cutoff) };
  const pages = await deliverJobMessages(context, await pageMessages(context));
  return {
    job: 'anomaly-scan',
    as_of: context.asOf,
    findings: rankFindings(findings),
    detectors: [
      { name: 'spend_anomaly (hourly)', ...scanned, findings: spend.length },
      { name: 'retry_storm (hourly)', ...scanned, findings: storms.length },
    ],
    pages,
  };
}

/** The end of the hours the scan judges (epoch ms): the current hour's start today, else midnight of the as-of day. */
export function scanCutoff(asOf: string, now: Date): number {
  return asOf === dayOf(now) ? Math.floor(now.getTime() / msPerHour) * msPerHour : Date.parse(asOf + 'T00:00:00Z');
}

function detectContext(context: JobContext, job: string): DetectContext {
  return { ...context, job, reader: new DetectReader(context.engine, job) };
}
