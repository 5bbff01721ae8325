import type { IngestLimits } from './limits.js';
import type { Limited } from './mapped-fields.js';

/**
 * The limits on one record of a batch that the loader's SQL cannot check, because they concern the JSON itself,
 * not the call: how deep it nests, how long its strings are, whether its bytes were UTF-8. Whether the values make a
 * call (types, tokens, timestamps) is the loader's rules alone (functions/ledger/call-rules.ts: check-call.ts).
 *
 * The walk stops one level past max_depth, so a record nested a million deep costs no more than one at the limit.
 */

export interface RecordProblem {
  /** Where: a top-level field, or a path into it such as `metadata.tags[2]`; `record` for the record itself. */
  field: string;
  reason: string;
}

/**
 * The first problem found in walk order, or null when the record is within every limit. `limited` says which strings
 * the length limit applies to (mapped-fields.ts); the depth and UTF-8 checks apply to all of the record.
 */
export function recordProblem(value: unknown, limits: IngestLimits, validUtf8: boolean, limited: Limited = () => true): RecordProblem | null {
  return walk(value, 'record', undefined, 1, { limits, validUtf8, limited });
}

interface Check {
  limits: IngestLimits;
  validUtf8: boolean;
  limited: Limited;
}

/** `name`: the string's nearest member name, or the key of the OTLP attribute it is the value of (mapped-fields.ts). */
function walk(value: unknown, path: string, name: string | undefined, depth: number, check: Check): RecordProblem | null {
  if (typeof value === 'string') return stringProblem(value, path, check.limited(name) ? check.limits.max_string_chars : Infinity, check.validUtf8);
  if (typeof value !== 'object' || value === null) return null;
  if (depth > check.limits.max_depth) {
    return { field: path, reason: `nests deeper than ${check.limits.max_depth} levels (ingest.max_depth): send the record flatter` };
  }
  const entries: [string, string | undefined, unknown][] = Array.isArray(value)
    ? value.map((item, i) => [`${path === 'record' ? '' : path}[${i}]`, name, item])
    : Object.entries(value).map(([key, item]) => [path === 'record' ? key : `${path}.${key}`, memberName(value, key), item]);
  for (const [childPath, childName, child] of entries) {
    if (!check.validUtf8 && childPath.includes('\uFFFD')) return stringProblem(childPath, childPath, Infinity, false);
    const problem = walk(child, childPath, childName, depth + 1, check);
    if (problem) return problem;
  }
  return null;
}

/** A member's name for the limit: an OTLP attribute's value goes by the attribute's key. */
function memberName(object: object, key: string): string {
  const attributeKey = (object as { key?: unknown }).key;
  return key === 'value' && typeof attributeKey === 'string' ? attributeKey : key;
}

function stringProblem(text: string, field: string, maxChars: number, validUtf8: boolean): RecordProblem | null {
  if (!validUtf8 && text.includes('\uFFFD')) {
    return { field, reason: 'holds bytes that are not valid UTF-8: send the batch encoded as UTF-8' };
  }
  if (text.length > maxChars) {
    return {
      field,
      reason: `is ${text.length} characters long: a string may hold at most ${maxChars} (ingest.max_string_chars); a prompt or a response does not belong in the cost ledger`,
    };
  }
  return null;
}

/**
 * The record as it may be stored: cut at `max_depth` levels (deeper values replaced by a marker: the whole of a
 * record nested too deep cannot even be written back as JSON text without overflowing the stack), and every string
 * over `max_string_chars` replaced by `[N characters dropped]` (content: a prompt the ledger must not keep, in the
 * quarantine or anywhere). Copied only where something changes.
 */
export function pruned(value: unknown, limits: Pick<IngestLimits, 'max_depth' | 'max_string_chars'>, depth = 1): unknown {
  if (typeof value === 'string') return value.length > limits.max_string_chars ? `[${value.length} characters dropped]` : value;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > limits.max_depth) return '[nested too deep]';
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = pruned(item, limits, depth + 1);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = pruned(item, limits, depth + 1);
    if (next !== item) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}
