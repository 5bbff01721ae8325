import type { protos } from '@google-cloud/scheduler';
import { ConfigError, FinopsError } from '../errors.js';
import type { Scheduler } from './client.js';

type Job = protos.google.cloud.scheduler.v1.IJob;

/** A Cloud Scheduler job as `schedules` shows it: what runs, when, where it points, and how its last attempt went. */
export interface DeployedJob {
  /** The job's id, the last part of `projects/P/locations/R/jobs/ID`. */
  id: string;
  name: string;
  schedule: string;
  timeZone: string;
  /** ENABLED, PAUSED, DISABLED or UPDATE_FAILED. */
  state: string;
  /** The URL it calls; null for a job that targets Pub/Sub or App Engine. */
  uri: string | null;
  /** The service account whose OIDC token the request carries; null without one. */
  oidcServiceAccount: string | null;
  /** ISO-8601 UTC; null before the first attempt. */
  lastAttemptAt: string | null;
  /** The last attempt's outcome: `ok`, or the error code Cloud Scheduler recorded (google.rpc.Code); null before any. */
  lastAttemptStatus: string | null;
  /** When the next run is due, ISO-8601 UTC. */
  nextRunAt: string | null;
}

/** Lists every job in the project and region (the client follows the pages). */
export async function listDeployedJobs(scheduler: Scheduler): Promise<DeployedJob[]> {
  try {
    const [jobs] = await scheduler.client.listJobs({ parent: scheduler.parent });
    return jobs.map(toDeployedJob);
  } catch (cause) {
    throw schedulerError(cause, `listing the jobs in ${scheduler.parent}`);
  }
}

/** Runs a job now (Cloud Scheduler's jobs.run), whatever its schedule, and returns the job as it is after. */
export async function runDeployedJob(scheduler: Scheduler, id: string): Promise<DeployedJob> {
  try {
    const [job] = await scheduler.client.runJob({ name: `${scheduler.parent}/jobs/${id}` });
    return toDeployedJob(job);
  } catch (cause) {
    throw schedulerError(cause, `running the job ${id}`);
  }
}

function toDeployedJob(job: Job): DeployedJob {
  const name = job.name ?? '';
  const attempted = instant(job.lastAttemptTime);
  return {
    id: name.slice(name.lastIndexOf('/') + 1),
    name,
    schedule: job.schedule ?? '',
    timeZone: job.timeZone ?? '',
    state: String(job.state ?? 'STATE_UNSPECIFIED'),
    uri: job.httpTarget?.uri || null,
    oidcServiceAccount: job.httpTarget?.oidcToken?.serviceAccountEmail || null,
    lastAttemptAt: attempted,
    // Cloud Scheduler leaves `status` empty (code 0) after a successful attempt.
    lastAttemptStatus: attempted === null ? null : job.status?.code ? `error ${job.status.code}` : 'ok',
    nextRunAt: instant(job.scheduleTime),
  };
}

function instant(timestamp: protos.google.protobuf.ITimestamp | null | undefined): string | null {
  if (!timestamp || timestamp.seconds === null || timestamp.seconds === undefined) return null;
  const ms = Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
  return ms === 0 ? null : new Date(ms).toISOString();
}

/**
 * The client's error, with what to check. Over REST the client reports the HTTP status as `code` and the API's
 * JSON error as the message; over gRPC, the gRPC code and text. Both are read.
 */
function schedulerError(cause: unknown, doing: string): FinopsError {
  const error = cause as { code?: unknown; message?: string };
  const kind = errorKinds.find((k) => k.codes.includes(error.code as number));
  const message = `Cloud Scheduler failed ${doing}: ${apiMessage(error.message ?? String(cause))}${kind ? `\n${kind.hint}` : ''}`;
  return kind?.notFound ? new FinopsError('not_found', message, { cause }) : new ConfigError(message, { cause });
}

/** HTTP status and gRPC code of each failure a person can fix, and the fix. */
const errorKinds = [
  { codes: [404, 5], notFound: true, hint: 'Not found: check FINOPS_BQ_PROJECT and FINOPS_REGION against `terraform output`, and that terraform apply has run.' },
  { codes: [403, 7], notFound: false, hint: 'Permission denied: listing needs roles/cloudscheduler.viewer, running a job roles/cloudscheduler.jobRunner.' },
  { codes: [401, 16], notFound: false, hint: 'No usable credentials: run `gcloud auth application-default login`.' },
];

function apiMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    return parsed.error?.message ?? text;
  } catch {
    return text;
  }
}
