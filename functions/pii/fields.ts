import type { PiiKind } from './kinds.js';
import { pseudonymizeCustomerId, type PseudonymSalt } from './pseudonymize.js';
import { redact } from './redact.js';

/**
 * Which string fields of which table get what treatment: the one place that decides it. Every STRING column of the
 * tables below is in exactly one list (test/pii/fields.test.ts checks it against sql/schema/), so a new column
 * cannot land without a decision.
 *
 * - `redact`: free text, or names a producer chooses (feature, segment, provider, model, prompt_id) and the
 *   quarantine's file name, field, reason and whole raw `record` text: PII in them becomes placeholders.
 * - `pseudonymize`: customer_id, which must stay stable for grouping (pseudonymize.ts).
 * - `identifiers`: ids joined and deduplicated on (call_id, request_id, outcome_id) and hashes. Rewriting them would
 *   break dedupe and joins, so they are kept as sent; an id holding PII is a producer bug that the pii-scan job
 *   finds, since it scans these too.
 * - `system`: values the ledger writes itself or validates against a fixed list (status, cost_source, load_id):
 *   they cannot hold PII, and neither redaction nor the scan looks at them.
 */
export interface FieldPolicy {
  redact: readonly string[];
  pseudonymize: readonly string[];
  identifiers: readonly string[];
  system: readonly string[];
}

export const piiFieldPolicy = {
  llm_calls: {
    redact: ['feature', 'segment', 'provider', 'model', 'prompt_id'],
    pseudonymize: ['customer_id'],
    identifiers: ['call_id', 'request_id', 'prompt_prefix_hash', 'outcome_id'],
    system: ['status', 'cost_source', 'source_shape', 'load_id'],
  },
  outcomes: {
    redact: ['feature', 'segment'],
    pseudonymize: [],
    identifiers: ['outcome_id'],
    system: ['load_id'],
  },
  quarantine: {
    redact: ['source', 'field', 'reason', 'record'],
    pseudonymize: [],
    identifiers: [],
    system: ['load_id', 'record_kind'],
  },
} as const satisfies Record<string, FieldPolicy>;

export type PiiTable = keyof typeof piiFieldPolicy;

/** The fields of a table the pii-scan job reads: all but the system ones. */
export function scannedFields(table: PiiTable): string[] {
  const policy: FieldPolicy = piiFieldPolicy[table];
  return [...policy.redact, ...policy.pseudonymize, ...policy.identifiers];
}

/** What redacting one record found: the fields that held PII and their kinds. */
export interface RecordRedaction<T> {
  record: T;
  found: { field: string; kinds: PiiKind[] }[];
}

/**
 * Applies a table's policy to one record (a plain object of its columns): redacted fields get placeholders, the
 * pseudonymized ones their pseudonyms; everything else is returned as it came. The record is copied only when
 * something changes.
 */
export function redactRecord<T extends Record<string, unknown>>(table: PiiTable, record: T, salt: PseudonymSalt | undefined): RecordRedaction<T> {
  const policy: FieldPolicy = piiFieldPolicy[table];
  let out = record;
  const found: RecordRedaction<T>['found'] = [];
  const set = (field: string, value: string, kinds: PiiKind[]) => {
    if (out === record) out = { ...record };
    (out as Record<string, unknown>)[field] = value;
    found.push({ field, kinds });
  };
  for (const field of policy.redact) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    const redaction = redact(value);
    if (redaction.found.length > 0) set(field, redaction.text, redaction.found);
  }
  for (const field of policy.pseudonymize) {
    const value = record[field];
    if (typeof value !== 'string') continue;
    const pseudonym = pseudonymizeCustomerId(value, salt);
    if (pseudonym !== value) set(field, pseudonym, redact(value).found);
  }
  return { record: out, found };
}
