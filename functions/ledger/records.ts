import { tables, type Column } from '../schema/tables.js';

/**
 * The input records: what a producer sends, as named in CONTRACT.md. A record's fields are its table's columns less
 * the ones the ledger adds itself on landing.
 */

export type RecordKind = 'calls' | 'outcomes';

/** Columns the ledger fills in; a producer never sends them. */
const ledgerColumns = new Set(['cost_source', 'source_shape', 'load_id', 'loaded_at']);

export const recordTable = { calls: 'llm_calls', outcomes: 'outcomes' } as const;

export function recordFields(kind: RecordKind): Column[] {
  return tables[recordTable[kind]].columns.filter((c) => !ledgerColumns.has(c.name));
}

export function recordFieldNames(kind: RecordKind): string[] {
  return recordFields(kind).map((c) => c.name);
}
