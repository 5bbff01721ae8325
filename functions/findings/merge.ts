import type { DetectedFinding, Finding } from './finding.js';

/**
 * How a stored finding changes when a job runs: the rules of the finding's life, as pure functions the store
 * applies and the tests read.
 *
 * - New: stored `open` (or `resolved` when its problem already ended inside the window), `detected_at` = now.
 * - Seen again: severity, last_seen, impact, summary and evidence are replaced; first_seen and detected_at stay
 *   (first_seen moves earlier only if the window now shows an earlier onset). A resolved finding seen again opens
 *   again with the onset of its new episode.
 * - Acked: stays acked until the day after `acked_until` (no date: until it resolves), then opens again if still
 *   seen.
 * - No longer seen by a job that looks for its kind: resolved.
 * - `updated_at` moves only when something else changed, so running a job twice leaves identical tables.
 */

export interface MergeClock {
  /** The as-of day of the run, `YYYY-MM-DD`. */
  asOf: string;
  /** The run's wall-clock time, as a stamp. */
  now: string;
}

/** The next state of a finding a job has just seen; `stored` is its row before the run, if any. */
export function mergeSeen(stored: Finding | undefined, seen: DetectedFinding, clock: MergeClock): Finding {
  const { ongoing: _ongoing, ...fields } = seen;
  const continuing = stored !== undefined && stored.status !== 'resolved';
  const snoozed =
    stored !== undefined && stored.status === 'acked' && (stored.acked_until === null || stored.acked_until >= clock.asOf);
  const next: Finding = {
    ...fields,
    first_seen: continuing && Date.parse(stored.first_seen) < Date.parse(seen.first_seen) ? stored.first_seen : seen.first_seen,
    status: !seen.ongoing ? 'resolved' : snoozed ? 'acked' : 'open',
    acked_until: stored?.acked_until ?? null,
    detected_at: stored?.detected_at ?? clock.now,
    updated_at: stored?.updated_at ?? clock.now,
  };
  return touched(stored, next, clock);
}

/** The next state of a stored finding a job looked for and did not see: resolved. */
export function mergeUnseen(stored: Finding, clock: MergeClock): Finding {
  return touched(stored, { ...stored, status: 'resolved' }, clock);
}

/** Snoozes a finding until a day (inclusive), or with no day until it resolves. */
export function mergeAck(stored: Finding, until: string | null, clock: MergeClock): Finding {
  return touched(stored, { ...stored, status: 'acked', acked_until: until }, clock);
}

/** Whether two states differ in anything but updated_at. */
export function changed(a: Finding | undefined, b: Finding): boolean {
  if (a === undefined) return true;
  return comparable(a) !== comparable(b);
}

function touched(stored: Finding | undefined, next: Finding, clock: MergeClock): Finding {
  return changed(stored, next) ? { ...next, updated_at: clock.now } : { ...next, updated_at: stored!.updated_at };
}

/** Every field but updated_at, in a fixed order (a row read back from the table has its own key order). */
const compared = [
  'key', 'kind', 'severity', 'feature', 'subject', 'first_seen', 'last_seen', 'impact_usd_month', 'summary',
  'evidence', 'status', 'acked_until', 'detected_at',
] as const satisfies readonly (keyof Finding)[];

function comparable(finding: Finding): string {
  return JSON.stringify(compared.map((field) => finding[field]));
}
