import { withLabels } from '../engine/labelled.js';
import { runAdvise } from './advise.js';
import { renderAdvise } from './advise-text.js';
import { renderAnomalyScan } from './anomaly-scan-text.js';
import type { JobContext, JobResult } from './context.js';
import { detectorJob, runAnomalyScan } from './detect.js';
import { renderDetect } from './detect-text.js';
import { runDigest } from './digest.js';
import { runForecast } from './forecast.js';
import { renderForecast } from './forecast-text.js';
import { renderJobMessages } from './job-messages-text.js';
import { runMonthEnd } from './month-end.js';
import { renderMonthEnd } from './month-end-text.js';
import { runRollup } from './rollup.js';
import { renderRollup } from './rollup-text.js';

/**
 * The jobs, by their CLI name (CONTRACT.md). Each is one async function of a JobContext and a renderer for the
 * terminal; the CLI, the HTTP functions and `run all` look them up here.
 */
export interface Job {
  run: (context: JobContext) => Promise<JobResult>;
  render: (result: never) => string;
}

const jobList: Record<string, Job> = {
  rollup: { run: runRollup, render: renderRollup },
  forecast: { run: runForecast, render: renderForecast },
  detect: { run: detectorJob('detect'), render: renderDetect },
  drift: { run: detectorJob('drift'), render: renderDetect },
  retries: { run: detectorJob('retries'), render: renderDetect },
  anomalies: { run: detectorJob('anomalies'), render: renderDetect },
  'pii-scan': { run: detectorJob('pii-scan'), render: renderDetect },
  'anomaly-scan': { run: runAnomalyScan, render: renderAnomalyScan },
  advise: { run: runAdvise, render: renderAdvise },
  digest: { run: runDigest, render: renderJobMessages },
  'month-end': { run: runMonthEnd, render: renderMonthEnd },
};

/** The jobs, each running with its name as the `job` label of every query it sends (functions/engine/labelled.ts). */
export const jobs: Record<string, Job> = Object.fromEntries(
  Object.entries(jobList).map(([name, job]) => [
    name,
    { ...job, run: (context: JobContext) => job.run({ ...context, engine: withLabels(context.engine, { job: name }) }) },
  ]),
);

/** `run all`: these jobs in this order, those that exist. */
export const allJobs = ['rollup', 'forecast', 'detect', 'advise'].filter((name) => name in jobs);
