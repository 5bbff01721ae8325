import { InputError } from '../errors.js';
import { dayOf, isDay } from '../time/days.js';

/**
 * What a request to a job's function may ask (CONTRACT.md): nothing, to run as of today (UTC), or
 * `{"asOf": "YYYY-MM-DD"}` to re-run a past day. Cloud Scheduler sends `{}` on schedule. `"force": true` posts the
 * run's Slack messages again even if they were already sent, as `ai-finops run JOB --force` does: the way to re-post
 * a month-end report on purpose (a rerun without it posts only what was not sent yet).
 *
 * The functions framework has already parsed a JSON body; a body sent with another content type arrives as text
 * or bytes and is read as JSON here, so a scheduler job created without the Content-Type header still works.
 * @throws InputError saying what is wrong and how to write the body: the function answers 400.
 */
export interface RunRequest {
  asOf: string;
  force: boolean;
}

export function runRequest(body: unknown, now: Date): RunRequest {
  const parsed = parseBody(body);
  if (parsed === undefined) return { asOf: dayOf(now), force: false };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(`the body must be a JSON object such as {"asOf": "2026-11-01"}, not ${describe(parsed)}`);
  }
  const unknown = Object.keys(parsed).filter((key) => key !== 'asOf' && key !== 'force');
  if (unknown.length > 0) {
    throw new InputError(`unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}: the body may carry only "asOf" and "force"`);
  }
  const { asOf, force } = parsed as { asOf?: unknown; force?: unknown };
  if (asOf !== undefined && (typeof asOf !== 'string' || !isDay(asOf))) {
    throw new InputError(`asOf ${JSON.stringify(asOf)} is not a date: write it as "YYYY-MM-DD", e.g. {"asOf": "2026-11-01"}`);
  }
  if (force !== undefined && typeof force !== 'boolean') {
    throw new InputError(`force ${JSON.stringify(force)} is not true or false: write {"force": true} to post again what was already sent`);
  }
  return { asOf: asOf ?? dayOf(now), force: force ?? false };
}

/** The body as a value; undefined for no body at all. */
function parseBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : null;
  if (text === null) return body;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('the body is not JSON: send {"asOf": "YYYY-MM-DD"} or nothing');
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
