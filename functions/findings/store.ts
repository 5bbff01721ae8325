import type { Engine, Row } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import { sqlFile } from '../sql/files.js';
import { findingKinds, type DetectedFinding, type Finding, type FindingKind, type FindingStatus } from './finding.js';
import { changed, mergeAck, mergeSeen, mergeUnseen, type MergeClock } from './merge.js';
import { stamp } from './stamps.js';
import { rowsPerMerge, upsertFindingsStatement } from './upsert-sql.js';

/**
 * The findings table, read and written through the engine only (so the same code runs on DuckDB and BigQuery).
 * A job hands over what it saw; the store merges it with what is stored (merge.ts) and writes only the rows that
 * changed, in one MERGE per 200 rows. Running a job twice writes nothing the second time.
 */

export interface RecordOptions {
  /** The as-of day of the run, `YYYY-MM-DD`. */
  asOf: string;
  /** The run's wall-clock time. */
  now: Date;
  /** The findings the job saw in its window. */
  seen: DetectedFinding[];
  /**
   * The kinds the job looks for over its whole window: their stored findings it did not see are resolved. Empty
   * for a job that looks at part of a window only (the hourly anomaly-scan), which never resolves anything.
   */
  resolves: readonly FindingKind[];
}

/**
 * Merges a job's findings into the table and returns them as stored (with status, first_seen kept from earlier
 * runs, detected_at), in the order given. Two findings with one key in `seen` would be a detector bug: the last wins.
 */
export async function recordFindings(engine: Engine, options: RecordOptions): Promise<Finding[]> {
  const { seen, resolves } = options;
  const clock: MergeClock = { asOf: options.asOf, now: stamp(options.now) };
  const kinds = [...new Set([...seen.map((f) => f.kind), ...resolves])];
  const stored = new Map((await readFindings(engine, kinds)).map((f) => [f.key, f]));

  const next = new Map<string, Finding>();
  for (const finding of seen) next.set(finding.key, mergeSeen(stored.get(finding.key), finding, clock));
  const resolvable = new Set<string>(resolves);
  for (const [key, finding] of stored) {
    if (!next.has(key) && resolvable.has(finding.kind)) next.set(key, mergeUnseen(finding, clock));
  }
  await writeFindings(engine, [...next.values()].filter((f) => changed(stored.get(f.key), f)));
  return [...new Set(seen.map((f) => f.key))].map((key) => next.get(key)!);
}

/** The stored findings of some kinds (every kind when none are given). */
export async function readFindings(engine: Engine, kinds: readonly string[] = findingKinds): Promise<Finding[]> {
  if (kinds.length === 0) return [];
  const rows = await engine.query(sqlFile('findings/findings_by_kind.sql'), { kinds: [...kinds] }, { labels: { job: 'findings' } });
  return rows.map(fromRow);
}

/** The findings to list: one status, or all, ranked (see rankFindings). */
export async function listFindings(engine: Engine, status?: FindingStatus): Promise<Finding[]> {
  const all = await readFindings(engine);
  return rankFindings(status === undefined ? all : all.filter((f) => f.status === status));
}

/**
 * Snoozes a finding: acked until `until` (inclusive), or with no date until it resolves.
 * @throws {UsageError} when no finding has the key.
 */
export async function ackFinding(engine: Engine, key: string, until: string | null, clock: { asOf: string; now: Date }): Promise<Finding> {
  const [row] = await engine.query(sqlFile('findings/finding_by_key.sql'), { key }, { labels: { job: 'findings' } });
  if (!row) throw new UsageError(`no finding has the key "${key}": list them with ai-finops findings, and copy the key column`);
  const stored = fromRow(row);
  const next = mergeAck(stored, until, { ...clock, now: stamp(clock.now) });
  if (changed(stored, next)) await writeFindings(engine, [next]);
  return next;
}

/**
 * Findings in the order a person reads them: open and acked before resolved, then by monthly impact (largest
 * first, none last), then severity, then key, so the order is stable.
 */
export function rankFindings(findings: Finding[]): Finding[] {
  const severity = { page: 2, warn: 1, info: 0 } as const;
  const impact = (f: Finding) => (f.impact_usd_month === null ? -1 : Number(f.impact_usd_month));
  return [...findings].sort(
    (a, b) =>
      Number(a.status === 'resolved') - Number(b.status === 'resolved') ||
      impact(b) - impact(a) ||
      severity[b.severity] - severity[a.severity] ||
      a.key.localeCompare(b.key),
  );
}

async function writeFindings(engine: Engine, findings: Finding[]): Promise<void> {
  for (let start = 0; start < findings.length; start += rowsPerMerge) {
    const { sql, params } = upsertFindingsStatement(findings.slice(start, start + rowsPerMerge).map(toRow));
    await engine.query(sql, params, { labels: { job: 'findings' } });
  }
}

function toRow(finding: Finding): Record<string, string | null> {
  return {
    key: finding.key,
    kind: finding.kind,
    severity: finding.severity,
    feature: finding.feature,
    subject: finding.subject,
    first_seen: finding.first_seen,
    last_seen: finding.last_seen,
    impact_usd_month: finding.impact_usd_month,
    summary: finding.summary,
    evidence: JSON.stringify(finding.evidence),
    status: finding.status,
    acked_until: finding.acked_until,
    detected_at: finding.detected_at,
    updated_at: finding.updated_at,
  };
}

function fromRow(row: Row): Finding {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    key: String(row.key),
    kind: String(row.kind) as FindingKind,
    severity: String(row.severity) as Finding['severity'],
    feature: text(row.feature),
    subject: text(row.subject),
    first_seen: stamp(String(row.first_seen)),
    last_seen: stamp(String(row.last_seen)),
    impact_usd_month: text(row.impact_usd_month),
    summary: String(row.summary),
    evidence: row.evidence === null ? {} : (JSON.parse(String(row.evidence)) as Finding['evidence']),
    status: String(row.status) as FindingStatus,
    acked_until: text(row.acked_until),
    detected_at: stamp(String(row.detected_at)),
    updated_at: stamp(String(row.updated_at)),
  };
}
