import { randomUUID } from 'node:crypto';
import type { Engine, Row } from '../engine/engine.js';
import { redactRecord } from '../pii/fields.js';
import type { PseudonymSalt } from '../pii/pseudonymize.js';
import { redact } from '../pii/redact.js';
import type { ShapeAttributes } from '../ledger/stage.js';
import type { PricePeriod } from '../pricing/price-period.js';
import { pruned, recordProblem, type RecordProblem } from './check-record.js';
import { landBatch } from './land-batch.js';
import type { IngestLimits } from './limits.js';
import type { Batch, IncomingRecord } from './parse-batch.js';
import { redactIncoming } from './redact-record.js';
import { validateBatch, type BatchLine, type BatchLoad } from './validate-batch.js';

/**
 * One ingest batch, from parsed records to the ledger: each record is checked against the per-record limits
 * (check-record.ts) and redacted (redact-record.ts); the rest are validated and priced by the loader's SQL
 * (validate-batch.ts) and landed once (land-batch.ts). Every rejected record, whichever step rejected it, is kept
 * in the quarantine, redacted, with its index in the batch as its line.
 */

export interface IngestOptions {
  limits: IngestLimits;
  /** FINOPS_PII_SALT, for customer_id pseudonyms; without it a customer_id holding PII is redacted instead. */
  salt: PseudonymSalt | undefined;
  negotiated: PricePeriod[];
  /** Where foreign shapes carry feature, segment and customer (config `shapes:`); default: the config defaults. */
  shapeAttributes?: ShapeAttributes;
  now?: () => Date;
}

export interface Rejected {
  index: number;
  field: string;
  reason: string;
}

/** The function's answer (issue 7): how many calls landed now, how many the ledger already had, and each reject. */
export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  rejected: Rejected[];
}

/** What the quarantine's `source` says for records that came through the ingest function. */
export const ingestSource = 'ingest';

export async function ingestBatch(ledger: Engine, batch: Batch, options: IngestOptions): Promise<IngestAnswer> {
  const now = (options.now ?? (() => new Date()))();
  const load: BatchLoad = {
    load_id: `ingest_${now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}_${randomUUID().slice(0, 8)}`,
    loaded_at: now.toISOString(),
    source: ingestSource,
  };
  const quarantine: Row[] = [];
  const lines: BatchLine[] = [];
  for (const record of batch.records) {
    const problem = problemOf(record, options.limits, batch.validUtf8);
    if (problem) {
      quarantine.push(quarantineRow(load, record.index, problem, quarantinedText(record, options), options.salt));
      continue;
    }
    if (record.text !== undefined) lines.push({ index: record.index, line: lineText(record.text), keys: null });
    else lines.push({ index: record.index, line: JSON.stringify(redactIncoming(record.value, options.salt)), ...identity(record.value) });
  }

  const validated = lines.length > 0 ? await validateBatch(lines, load, { negotiated: options.negotiated, shapeAttributes: options.shapeAttributes }) : { calls: [], rejections: [] };
  for (const row of validated.rejections) quarantine.push(redactRecord('quarantine', row, options.salt).record);
  const landed = await landBatch(ledger, load, { records: batch.records.length, calls: validated.calls, quarantine });
  const rejected = quarantine
    .map((row) => ({ index: Number(row.line), field: String(row.field), reason: String(row.reason) }))
    .sort((a, b) => a.index - b.index);
  return { ...landed, rejected };
}

/** The keys of a record that is a JSON object (what its shape is told by) and its call_id, or null keys. */
function identity(value: unknown): Pick<BatchLine, 'keys' | 'callId'> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { keys: null };
  return { keys: Object.keys(value), callId: (value as Record<string, unknown>).call_id };
}

function problemOf(record: IncomingRecord, limits: IngestLimits, validUtf8: boolean): RecordProblem | null {
  if (record.text === undefined) return recordProblem(record.value, limits, validUtf8);
  // A line that is not JSON goes on to the loader, which says so; only bytes that are not UTF-8 stop it here.
  return recordProblem(record.text, { ...limits, max_string_chars: Infinity }, validUtf8);
}

/** The record's text for the quarantine: redacted, and cut at the depth limit (deeper JSON cannot be written back). */
function quarantinedText(record: IncomingRecord, options: IngestOptions): string {
  if (record.text !== undefined) return redact(record.text).text;
  return JSON.stringify(redactIncoming(pruned(record.value, options.limits.max_depth), options.salt));
}

/**
 * A line that is not JSON, redacted, as one line of the batch file: control characters would end the line or the
 * column early for the loader's line reader, so they become U+FFFD (the line is rejected as not JSON either way).
 */
function lineText(text: string): string {
  return redact(text).text.replace(/[\u0000-\u001f]/g, '\uFFFD');
}

function quarantineRow(load: BatchLoad, index: number, problem: RecordProblem, record: string, salt: PseudonymSalt | undefined): Row {
  const row: Row = {
    quarantined_at: load.loaded_at,
    load_id: load.load_id,
    source: load.source,
    record_kind: 'calls',
    line: index,
    field: problem.field,
    reason: problem.reason,
    record,
  };
  return redactRecord('quarantine', row, salt).record;
}
