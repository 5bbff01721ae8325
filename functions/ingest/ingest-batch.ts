import { randomUUID } from 'node:crypto';
import type { Engine, Row } from '../engine/engine.js';
import { redactRecord } from '../pii/fields.js';
import type { PseudonymSalt } from '../pii/pseudonymize.js';
import { redact } from '../pii/redact.js';
import type { ShapeAttributes } from '../ledger/stage.js';
import { defaultConfig } from '../config/finops-config.js';
import type { PricePeriod } from '../pricing/price-period.js';
import { pruned, recordProblem, type RecordProblem } from './check-record.js';
import { landBatch, type Landing } from './land-batch.js';
import { limitedStrings } from './mapped-fields.js';
import type { IngestLimits } from './limits.js';
import type { Batch, IncomingRecord } from './parse-batch.js';
import { customerKeys, redactIncoming } from './redact-record.js';
import { BatchShapeError, lineOf, quarantineHeader, validateBatch, type BatchLine, type BatchLoad, type ValidatedBatch } from './validate-batch.js';

/**
 * One ingest batch, from parsed records to the ledger, in two steps. prepareBatch validates, redacts and prices
 * it, writing nothing (foreign shapes are staged in the scratch database, never the ledger): each record is checked
 * against the per-record limits (check-record.ts), its over-long content dropped and redacted (redact-record.ts);
 * the rest are validated and priced by the loader's rules and price list (validate-batch.ts), each call redacted
 * once more as the ledger holds it. Then landBatch lands it once (land-batch.ts). Every rejected record, whichever
 * step rejected it, is kept in the quarantine, redacted, with its index in the batch as its line; a batch refused
 * whole for its shapes too.
 *
 * The answer counts calls, not records: an OTLP record holds many spans, each a call accepted, a duplicate or
 * rejected on its own, and agent spans, which staging skips, are none of them.
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

/**
 * A batch validated, redacted and priced: everything the function does to a batch before it writes, and what it
 * then lands. A batch refused whole for its shapes (`refusal`) still lands its quarantine.
 */
export interface PreparedBatch {
  load: BatchLoad;
  landing: Landing;
  refusal?: BatchShapeError;
}

export async function ingestBatch(ledger: Engine, batch: Batch, options: IngestOptions): Promise<IngestAnswer> {
  const { load, landing, refusal } = await prepareBatch(batch, options);
  const landed = await landBatch(ledger, load, landing);
  if (refusal) throw refusal;
  const rejected = landing.quarantine
    .map((row) => ({ index: Number(row.line), field: String(row.field), reason: String(row.reason) }))
    .sort((a, b) => a.index - b.index);
  return { ...landed, rejected };
}

export async function prepareBatch(batch: Batch, options: IngestOptions): Promise<PreparedBatch> {
  const now = (options.now ?? (() => new Date()))();
  const load: BatchLoad = {
    load_id: `ingest_${now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}_${randomUUID().slice(0, 8)}`,
    loaded_at: now.toISOString(),
    source: ingestSource,
  };
  const quarantine: Row[] = [];
  const lines: BatchLine[] = [];
  const attributes = options.shapeAttributes ?? defaultConfig.shapes;
  const customers = customerKeys(attributes);
  for (const record of batch.records) {
    const problem = problemOf(record, options.limits, batch.validUtf8, attributes);
    if (problem) {
      quarantine.push(quarantineRow(load, record.index, problem, quarantinedText(record, options, customers), options.salt));
      continue;
    }
    if (record.text !== undefined) lines.push({ index: record.index, line: lineText(record.text), keys: null });
    else {
      const stored = storedValue(record.value, options, customers);
      lines.push({ index: record.index, ...identity(record.value), ...(isObject(stored) ? { value: stored } : { line: JSON.stringify(stored) }) });
    }
  }
  const records = batch.records.length;

  let validated: ValidatedBatch = { calls: [], rejections: [], skipped: [] };
  try {
    if (lines.length > 0) validated = await validateBatch(lines, load, { negotiated: options.negotiated, shapeAttributes: options.shapeAttributes });
  } catch (error) {
    if (!(error instanceof BatchShapeError)) throw error;
    // Refused whole, yet nothing silently dropped: every record goes to the quarantine with the reason, then the
    // caller answers 400 with it.
    for (const line of lines) quarantine.push(quarantineRow(load, line.index, { field: 'record', reason: error.message }, lineOf(line), options.salt));
    return { load, landing: { records, calls: [], repeats: 0, quarantine }, refusal: error };
  }
  for (const row of validated.rejections) quarantine.push(redactRecord('quarantine', row, options.salt).record);
  // The pass before staging sees the record as sent; staging makes text of what it maps (a number sent as
  // feature or customer_id, a foreign attribute), so each call is redacted once more as the ledger will hold it.
  const calls = validated.calls.map((call) => redactRecord('llm_calls', call, options.salt).record);
  return { load, landing: { records, calls, repeats: validated.skipped.length, quarantine } };
}

/** The keys of a record that is a JSON object (what its shape is told by) and its call_id, or null keys. */
function identity(value: unknown): Pick<BatchLine, 'keys' | 'callId'> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { keys: null };
  return { keys: Object.keys(value), callId: (value as Record<string, unknown>).call_id };
}

function problemOf(record: IncomingRecord, limits: IngestLimits, validUtf8: boolean, attributes: ShapeAttributes): RecordProblem | null {
  if (record.text === undefined) return recordProblem(record.value, limits, validUtf8, limitedStrings(record.value, attributes));
  // A line that is not JSON goes on to the loader, which says so; only bytes that are not UTF-8 stop it here.
  return recordProblem(record.text, { ...limits, max_string_chars: Infinity }, validUtf8);
}

/** The record's text for the quarantine: as stored, or, for a line that is not JSON, redacted. */
function quarantinedText(record: IncomingRecord, options: IngestOptions, customers: ReadonlySet<string>): string {
  if (record.text !== undefined) return redact(record.text).text;
  return storedText(record.value, options, customers);
}

/**
 * A record as JSON text that may be stored (staged, or quarantined): cut at the depth limit, its strings over the
 * length limit dropped (a foreign shape's content, which staging would drop too: check-record.ts), then redacted.
 */
function storedText(value: unknown, options: IngestOptions, customers: ReadonlySet<string>): string {
  return JSON.stringify(storedValue(value, options, customers));
}

function storedValue(value: unknown, options: IngestOptions, customers: ReadonlySet<string>): unknown {
  return redactIncoming(pruned(value, options.limits), options.salt, customers);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    ...quarantineHeader(load),
    line: index,
    field: problem.field,
    reason: problem.reason,
    record,
  };
  return redactRecord('quarantine', row, salt).record;
}
