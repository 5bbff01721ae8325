import type { JobContext, JobResult } from './context.js';
import { detectorJob, runAnomalyScan } from './detect.js';
import { renderDetect } from './detect-text.js';
import { runForecast } from './forecast.js';
import { renderForecast } from './forecast-text.js';
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

export const jobs: Record<string, Job> = {
  rollup: { run: runRollup, render: renderRollup },
  forecast: { run: runForecast, render: renderForecast },
  detect: { run: detectorJob('detect'), render: renderDetect },
  drift: { run: detectorJob('drift'), render: renderDetect },
  retries: { run: detectorJob('retries'), render: renderDetect },
  anomalies: { run: detectorJob('anomalies'), render: renderDetect },
  'anomaly-scan': { run: runAnomalyScan, render: renderDetect },
};

/** `run all`: these jobs in this order, those that exist. */
export const allJobs = ['rollup', 'forecast', 'detect', 'advise'].filter((name) => name in jobs);
