import type { DeclaredJob, JobDeclaration } from './declared-jobs.js';
import type { DeployedJob } from './deployed-jobs.js';

/**
 * Deployed against declared: one row per declared job (deployed or not) and per deployed job that carries the
 * declaration's prefix without being declared, each with the ways it differs. What counts, as the issue names it:
 * - schedule: the cron or the time zone is not the declared one (say, edited in the console, or overridden with
 *   the module's `schedule_overrides` variable, which is then flagged on purpose);
 * - target: the job does not call its own function, or calls it without an OIDC token (the function would refuse);
 * - paused: the job is not ENABLED, so it will not run.
 */

export interface ScheduleRow {
  /** The job as the CLI names it; null for an undeclared deployed job. */
  job: string | null;
  /** The Cloud Scheduler job id. */
  id: string;
  deployed: DeployedJob | null;
  /** Each difference as a sentence that starts with its kind: `schedule`, `target`, `paused`, `missing`, `undeclared`. */
  differences: string[];
}

export function compareSchedules({ namePrefix, jobs: declared }: JobDeclaration, deployed: readonly DeployedJob[]): ScheduleRow[] {
  const byId = new Map(deployed.map((job) => [job.id, job]));
  const rows: ScheduleRow[] = declared.map((want) => {
    const have = byId.get(want.resourceId) ?? null;
    return { job: want.name, id: want.resourceId, deployed: have, differences: have ? differences(want, have) : [missing] };
  });
  const declaredIds = new Set(declared.map((job) => job.resourceId));
  for (const job of deployed) {
    if (job.id.startsWith(`${namePrefix}-`) && !declaredIds.has(job.id)) {
      rows.push({ job: null, id: job.id, deployed: job, differences: [undeclared] });
    }
  }
  return rows;
}

const missing = 'missing: not deployed; run terraform apply';
const undeclared = 'undeclared: not in terraform/jobs.json; delete it or declare it';

function differences(want: DeclaredJob, have: DeployedJob): string[] {
  const found: string[] = [];
  if (have.schedule !== want.schedule || have.timeZone !== want.timeZone) {
    found.push(`schedule: "${have.schedule}" ${have.timeZone}, declared "${want.schedule}" ${want.timeZone}`);
  }
  if (have.uri === null || !callsFunction(have.uri, want.resourceId)) {
    found.push(`target: calls ${have.uri ?? 'no URL'}, declared the function ${want.resourceId}`);
  } else if (have.oidcServiceAccount === null) {
    found.push('target: sends no OIDC token, so the function refuses the call');
  }
  if (have.state !== 'ENABLED') {
    found.push(have.state === 'PAUSED' ? 'paused: will not run until resumed' : `paused: state ${have.state}, will not run`);
  }
  return found;
}

/**
 * Whether a URL is the function's: a gen2 function is a Cloud Run service of the same name, reached at
 * `https://NAME-HASH-REGION.a.run.app` or `https://NAME-PROJECTNUMBER.REGION.run.app`, or at its Cloud Functions
 * address `https://REGION-PROJECT.cloudfunctions.net/NAME`.
 */
export function callsFunction(uri: string, functionId: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  if (url.hostname.endsWith('.run.app')) return url.hostname.startsWith(`${functionId}-`);
  if (url.hostname.endsWith('.cloudfunctions.net')) return url.pathname.replace(/\/$/, '') === `/${functionId}`;
  return false;
}
