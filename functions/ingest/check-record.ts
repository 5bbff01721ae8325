import type { IngestLimits } from './limits.js';

/**
 * The limits on one record of a batch that the loader's SQL cannot check, because they concern the JSON itself,
 * not the call: how deep it nests, how long its strings are, whether its bytes were UTF-8. Whether the values make a
 * call (types, tokens, timestamps) is the loader's validation (sql/duckdb/validate_calls.sql) alone.
 *
 * The walk stops one level past max_depth, so a record nested a million deep costs no more than one at the limit.
 */

export interface RecordProblem {
  /** Where: a top-level field, or a path into it such as `metadata.tags[2]`; `record` for the record itself. */
  field: string;
  reason: string;
}

/** The first problem found in walk order, or null when the record is within every limit. */
export function recordProblem(value: unknown, limits: IngestLimits, validUtf8: boolean): RecordProblem | null {
  return walk(value, 'record', 1, limits, validUtf8);
}

function walk(value: unknown, path: string, depth: number, limits: IngestLimits, validUtf8: boolean): RecordProblem | null {
  if (typeof value === 'string') return stringProblem(value, path, limits, validUtf8);
  if (typeof value !== 'object' || value === null) return null;
  if (depth > limits.max_depth) {
    return { field: path, reason: `nests deeper than ${limits.max_depth} levels (ingest.max_depth): send the record flatter` };
  }
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${path === 'record' ? '' : path}[${i}]`, item])
    : Object.entries(value).map(([key, item]) => [path === 'record' ? key : `${path}.${key}`, item]);
  for (const [childPath, child] of entries) {
    if (!validUtf8 && childPath.includes('\uFFFD')) return stringProblem(childPath, childPath, limits, validUtf8);
    const problem = walk(child, childPath, depth + 1, limits, validUtf8);
    if (problem) return problem;
  }
  return null;
}

function stringProblem(text: string, field: string, limits: IngestLimits, validUtf8: boolean): RecordProblem | null {
  if (!validUtf8 && text.includes('\uFFFD')) {
    return { field, reason: 'holds bytes that are not valid UTF-8: send the batch encoded as UTF-8' };
  }
  if (text.length > limits.max_string_chars) {
    return {
      field,
      reason: `is ${text.length} characters long: a string may hold at most ${limits.max_string_chars} (ingest.max_string_chars); a prompt or a response does not belong in the cost ledger`,
    };
  }
  return null;
}

/**
 * The record cut at `maxDepth` levels, deeper values replaced by a marker: what the quarantine keeps of a record
 * nested too deep (the whole of it cannot even be written back as JSON text without overflowing the stack).
 */
export function pruned(value: unknown, maxDepth: number, depth = 1): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > maxDepth) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((item) => pruned(item, maxDepth, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, pruned(item, maxDepth, depth + 1)]));
}
