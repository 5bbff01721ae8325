import type { Row } from '../engine/engine.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatCount } from '../format/table.js';
import { piiKindNames, type PiiKind } from '../pii/kinds.js';
import { redact } from '../pii/redact.js';
import { piiPrefilter } from '../pii/rules.js';
import { lookbackWindow, type Detector } from './detector.js';

/**
 * pii_in_logs: personal data or secrets that reached the ledger anyway (a load that bypassed ingest's redaction, a
 * producer that puts emails in ids, a table from before redaction). Over the window (detectors.lookback_days.pii,
 * 35 days) it reads the landed calls (bounded by ts) and the quarantine (bounded by quarantined_at): the database
 * selects the candidate values with the rules' one RE2 prefilter, and the redactor's own rules (functions/pii/)
 * confirm them, so the scan and the redaction share one definition of PII.
 *
 * One finding per table, field and kind, severity page: the count of rows and of distinct values, the first and
 * last day, and the rows per feature. Never the value: not in the summary, not in the evidence, and a feature name
 * that itself holds PII is shown redacted. The finding stays open while such rows are in the window (the data is
 * still stored), and resolves once they are purged or age out of it.
 */

export const piiScan: Detector = {
  name: 'pii_in_logs',
  kinds: ['pii_in_logs'],
  readsHours: false,
  lookbackDays: (config) => config.detectors.lookback_days.pii,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.pii);
    const params = { from: window.from, to: window.to, pattern: piiPrefilter };
    const rows = await context.reader.rows('detect/pii_candidates.sql', params);
    return piiFindings(rows.map(candidateOf));
  },
};

/** One distinct value of one field (and feature) that the prefilter selected. */
export interface PiiCandidate {
  table: string;
  field: string;
  value: string;
  feature: string | null;
  first_day: string;
  last_day: string;
  rows: number;
}

function candidateOf(row: Row): PiiCandidate {
  return {
    table: String(row.table_name),
    field: String(row.field),
    value: String(row.value),
    feature: row.feature === null || row.feature === undefined ? null : String(row.feature),
    first_day: String(row.first_day).slice(0, 10),
    last_day: String(row.last_day).slice(0, 10),
    rows: Number(row.row_count),
  };
}

interface Tally {
  table: string;
  field: string;
  kind: PiiKind;
  rows: number;
  values: number;
  first_day: string;
  last_day: string;
  features: Map<string | null, number>;
}

/** Findings from given candidate values: the redactor's rules decide which hold what. Exported for tests on given rows. */
export function piiFindings(candidates: readonly PiiCandidate[]): DetectedFinding[] {
  const tallies = new Map<string, Tally>();
  for (const candidate of candidates) {
    for (const kind of redact(candidate.value).found) {
      const id = JSON.stringify([candidate.table, candidate.field, kind]);
      let tally = tallies.get(id);
      if (!tally) {
        const { table, field, first_day, last_day } = candidate;
        tally = { table, field, kind, rows: 0, values: 0, first_day, last_day, features: new Map() };
        tallies.set(id, tally);
      }
      tally.rows += candidate.rows;
      tally.values += 1;
      if (candidate.first_day < tally.first_day) tally.first_day = candidate.first_day;
      if (candidate.last_day > tally.last_day) tally.last_day = candidate.last_day;
      tally.features.set(candidate.feature, (tally.features.get(candidate.feature) ?? 0) + candidate.rows);
    }
  }
  return [...tallies.values()].sort((a, b) => (a.table + a.field + a.kind).localeCompare(b.table + b.field + b.kind)).map(finding);
}

/** A feature name as it may be shown: redacted if it holds PII itself. */
const shown = (feature: string | null) => (feature === null ? null : redact(feature).text);

function finding(t: Tally): DetectedFinding {
  const byFeature = [...t.features].sort(([a, x], [b, y]) => y - x || String(a).localeCompare(String(b)));
  const column = `${t.table}.${t.field}`;
  const rows = `${formatCount(t.rows)} row${t.rows === 1 ? '' : 's'}`;
  const span = t.first_day === t.last_day ? `on ${t.first_day}` : `${t.first_day} to ${t.last_day}`;
  return {
    key: findingKey('pii_in_logs', t.table, t.field, t.kind),
    kind: 'pii_in_logs',
    severity: 'page',
    feature: t.table === 'llm_calls' ? shown(byFeature[0]![0]) : null,
    subject: column,
    first_seen: dayStamp(t.first_day),
    last_seen: dayStamp(t.last_day),
    impact_usd_month: null,
    summary:
      `${rows} of ${column} hold${t.rows === 1 ? 's' : ''} ${piiKindNames[t.kind]} (${formatCount(t.values)} distinct ` +
      `value${t.values === 1 ? '' : 's'}, ${span}): redact it where the records are made, then redact or delete those rows.`,
    evidence: {
      table: t.table,
      field: t.field,
      pii_kind: t.kind,
      rows: t.rows,
      distinct_values: t.values,
      first_day: t.first_day,
      last_day: t.last_day,
      ...(t.table === 'llm_calls' ? { features: Object.fromEntries(byFeature.map(([f, n]) => [shown(f) ?? '(no feature)', n])) } : {}),
    },
    ongoing: true,
  };
}
