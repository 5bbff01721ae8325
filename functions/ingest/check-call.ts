import { callRules, castFields, isRequired, quotedChars, reasonParts, type CallRule } from '../ledger/call-rules.js';
import { recordFieldNames } from '../ledger/records.js';
import { fromNanos } from '../money.js';

/**
 * The rules of a valid call (functions/ledger/call-rules.ts) applied to a parsed native record in TypeScript, for
 * ingest batches: the same first failing rule, with the same `{field, reason}`, or the same typed call, as the
 * loader's SQL (validate_calls.sql) finds for the record as one NDJSON line. test/ingest/check-call.test.ts runs a
 * corpus of records through both and compares them.
 *
 * The SQL sees each field as text (DuckDB's from_json to VARCHAR) and casts it: a JSON string as it is, a whole
 * JSON number as its digits. Where this cannot be sure to read a value as DuckDB would, it does not guess: the
 * record is `undecided` and goes to the loader's SQL itself (validate-batch.ts). That is any value that is an
 * object, an array or a boolean; a number written in a form other than plain decimal digits, or a timestamp other
 * than ISO 8601 (a date alone, a named zone); a fractional number below 1e-4, which DuckDB writes with an exponent
 * (`1e-05`) where JavaScript does not; an amount with more than 9 decimals; a status that is not ASCII; a string
 * or key that is not well-formed UTF-16 (an unpaired surrogate, `"\ud800"`: not valid JSON to DuckDB); and a record
 * with a key that looks like an array index (JavaScript lists those first, the SQL in the record's order).
 * Spaces are ASCII spaces on both sides: text_field (sql/duckdb/field_macros.sql) trims nothing else.
 *
 * One difference is left, and neither path of the ingest function can see it: a JSON number that is whole but
 * written with a fraction or an exponent (`1.0`, `1e3`) is read by JSON.parse as the integer, so a text field
 * (`feature: 1.0`) lands as `"1"` and a message quotes `"1"`, where `ai-finops load` of the same line lands and
 * quotes DuckDB's `"1.0"`. The batch reaches the SQL path re-serialized too (JSON.stringify writes `1`), so
 * both paths of the function agree with each other; only the text as first written is lost.
 */

export interface RuleProblem {
  field: string;
  reason: string;
}

/** A valid call as validate_calls.sql's `final` has it, in the engine's row shape (ts as ISO 8601 with `Z`). */
export interface CheckedCall {
  ts: string;
  call_id: string;
  request_id: string;
  attempt: number;
  feature: string | null;
  segment: string | null;
  customer_id: string | null;
  provider: string | null;
  model: string;
  prompt_id: string | null;
  prompt_prefix_hash: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  latency_ms: number | null;
  status: string;
  quality: number | null;
  outcome_id: string | null;
  cost_usd: string | null;
}

export type CallVerdict = { call: CheckedCall; problem?: undefined } | { problem: RuleProblem; call?: undefined } | 'undecided';

const fields: ReadonlySet<string> = new Set(recordFieldNames('calls'));
const cast: ReadonlySet<string> = new Set(castFields);

/** Thrown where a value's reading is not certain; caught by checkCall, which answers 'undecided'. */
const undecided = Symbol('undecided');

/** The rules compiled once: each a function of the record's reading, answering its problem or null. */
type CompiledRule = (reading: Reading) => RuleProblem | null;

export function checkCall(record: Record<string, unknown>): CallVerdict {
  try {
    wellFormed(record);
    const reading = new Reading(record);
    for (const rule of compiled) {
      const problem = rule(reading);
      if (problem) return { problem };
    }
    return { call: reading.call() };
  } catch (error) {
    if (error === undecided) return 'undecided';
    throw error;
  }
}

/**
 * A record's fields read as the SQL's cast_fields reads them. A JSON number is its own double (DuckDB reads the
 * text from_json writes for it back to the same double); its text is only needed for a message, and made then.
 */
class Reading {
  constructor(readonly record: Record<string, unknown>) {}

  /** Whether the field is staged non-null (present and not JSON null). */
  present(field: string): boolean {
    const value = this.record[field];
    return value !== null && value !== undefined;
  }

  /** The staged text (null when absent or JSON null): for messages. */
  raw(field: string): string | null {
    return staged(this.record[field]);
  }

  /** Text fields: trimmed of spaces, null when blank; status lower-case too. */
  text(field: string): string | null {
    const value = this.record[field];
    if (value === null || value === undefined) return null;
    const text = trimSpaces(typeof value === 'string' ? value : staged(value)!);
    if (text === '') return null;
    if (field !== 'status' || text === 'ok') return text;
    if (!/^[\x20-\x7e]*$/.test(text)) throw undecided;
    return text.toLowerCase();
  }

  /** Count and score fields: try_cast(... as double); null when absent. */
  number(field: string): number | null {
    const value = this.record[field];
    if (typeof value === 'number') return value;
    if (value === null || value === undefined) return null;
    return toDouble(staged(value)!);
  }

  /** ts: the instant, as ISO 8601 with milliseconds and `Z`, or null when the text is no timestamp. */
  ts(): string | null {
    const raw = this.raw('ts');
    return raw === null ? null : toTimestamp(raw);
  }

  /** cost_usd in nano-dollars: try_cast(... as decimal(18, 9)). */
  amount(): bigint | null {
    const raw = this.raw('cost_usd');
    return raw === null ? null : toNanos18(raw);
  }

  /** The value a message quotes: the staged text of a cast field, the cleaned text of another. */
  quoted(field: string): string {
    const text = (cast.has(field) ? this.raw(field) : this.text(field)) ?? '';
    return `"${Array.from(text).slice(0, quotedChars).join('')}"`;
  }

  /** validate_calls.sql's `final`: defaults filled in. Only for a record that passed every rule. */
  call(): CheckedCall {
    const callId = this.text('call_id')!;
    const latency = this.number('latency_ms');
    const cost = this.amount();
    return {
      ts: this.ts()!,
      call_id: callId,
      request_id: this.text('request_id') ?? callId,
      attempt: this.number('attempt') ?? 1,
      feature: this.text('feature'),
      segment: this.text('segment'),
      customer_id: this.text('customer_id'),
      provider: this.text('provider'),
      model: this.text('model')!,
      prompt_id: this.text('prompt_id'),
      prompt_prefix_hash: this.text('prompt_prefix_hash'),
      input_tokens: this.number('input_tokens')!,
      cached_input_tokens: this.number('cached_input_tokens') ?? 0,
      cache_write_input_tokens: this.number('cache_write_input_tokens') ?? 0,
      output_tokens: this.number('output_tokens')!,
      // DuckDB's round: half away from zero, the same as Math.round for a number >= 0
      latency_ms: latency === null ? null : Math.round(latency),
      status: this.text('status') ?? 'ok',
      quality: this.number('quality'),
      outcome_id: this.text('outcome_id'),
      cost_usd: cost === null ? null : fromNanos(cost),
    };
  }
}

const compiled: readonly CompiledRule[] = callRules.map(compile);

/** A rule as a function of a record's reading: its problem, or null when the record passes it. */
function compile(rule: CallRule): CompiledRule {
  const f = rule.field;
  const check = rule.check;
  const fail = (reading: Reading): RuleProblem => ({ field: f, reason: reasonText(rule, reading) });
  switch (check.kind) {
    case 'parse_error':
      return () => null; // a parsed JSON object: the record is one
    case 'unknown_field':
      return ({ record }) => {
        let unknown: string | undefined;
        for (const key in record) {
          if (fields.has(key)) continue;
          if (/^(0|[1-9]\d*)$/.test(key)) throw undecided; // listed first by JavaScript, in place by the SQL
          unknown ??= key;
        }
        return unknown === undefined ? null : { field: unknown, reason: rule.reason };
      };
    case 'required':
      return cast.has(f) ? (r) => (r.present(f) ? null : fail(r)) : (r) => (r.text(f) === null ? fail(r) : null);
    case 'timestamp':
      return (r) => (r.ts() === null ? fail(r) : null);
    case 'whole':
      return (r) => {
        if (check.optional && !r.present(f)) return null;
        const n = r.number(f);
        return n === null || n < check.min || n !== Math.floor(n) ? fail(r) : null;
      };
    case 'non_negative':
      return (r) => {
        if (!r.present(f)) return null;
        const n = r.number(f);
        return n === null || n < 0 ? fail(r) : null;
      };
    case 'amount':
      return (r) => {
        if (!r.present(f)) return null;
        const nanos = r.amount();
        return nanos === null || nanos < 0n ? fail(r) : null;
      };
    case 'at_most':
      return (r) => {
        const n = r.present(f) ? r.number(f) : null;
        return n !== null && n > check.max ? fail(r) : null;
      };
    case 'score':
      return (r) => {
        if (!r.present(f)) return null;
        const n = r.number(f);
        return n === null || n < 0 || n > 1 || Number.isNaN(n) ? fail(r) : null;
      };
    case 'one_of':
      return (r) => {
        const text = r.text(f);
        return text !== null && !check.values.includes(text) ? fail(r) : null;
      };
    case 'cache_within_input':
      return (r) =>
        (r.number('cached_input_tokens') ?? 0) + (r.number('cache_write_input_tokens') ?? 0) > r.number('input_tokens')! ? fail(r) : null;
  }
}

/** The rule's reason with its placeholders filled, as the SQL concatenates it. */
function reasonText(rule: CallRule, reading: Reading): string {
  return reasonParts(rule.reason)
    .map(({ text, placeholder }) => {
      if (placeholder === undefined) return text;
      if (placeholder === 'value') return reading.quoted(rule.field);
      const count = reading.number(placeholder) ?? (isRequired(placeholder) ? null : 0);
      if (count === null || !Number.isSafeInteger(count)) throw undecided;
      return String(count);
    })
    .join('');
}

/**
 * Throws `undecided` for a record holding a key or a string value that is not well-formed UTF-16 (an unpaired
 * surrogate): DuckDB rejects such a line as not valid JSON, while JavaScript would store U+FFFD in its place, so
 * that a retry, its call_id no longer matching, would land it again. Objects and arrays are undecided anyway.
 */
function wellFormed(record: Record<string, unknown>): void {
  for (const key in record) {
    const value = record[key];
    if (!isWellFormed(key) || (typeof value === 'string' && !isWellFormed(value))) throw undecided;
  }
}

/** String.prototype.isWellFormed (Node 20; not in the ES2023 lib this project compiles against). */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A JSON value as DuckDB's from_json stages it as VARCHAR, where that is certain. */
function staged(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) {
      if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw undecided;
      return String(value);
    }
    // DuckDB writes a fractional double as its shortest round trip, as JavaScript does, except in exponent form,
    // which DuckDB takes below 1e-4 (`1e-05`, `9.99e-05`) and JavaScript only below 1e-6
    const text = String(value);
    if (text.includes('e') || Math.abs(value) < 1e-4) throw undecided;
    return text;
  }
  throw undecided;
}

/** text_field's trim: ASCII spaces only (not tabs, line breaks or Unicode spaces such as U+00A0, U+2003). */
function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const plainNumber = /^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$/;

/** try_cast(text as double), for plain decimal numbers (spaces around allowed, as DuckDB does). */
function toDouble(text: string): number {
  const n = plainNumber.test(text) ? Number(text.trim()) : NaN;
  if (!Number.isFinite(n)) throw undecided; // an overflow is DuckDB's to judge
  return n;
}

const isoTimestamp = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * try_cast(try_cast(text as timestamptz) as timestamp) with the session in UTC, for ISO 8601 with an offset, `Z`
 * or none (UTC); to the millisecond, as the engine reads a timestamp back. A date or time out of range (February
 * 30th, hour 24) is left to DuckDB.
 */
function toTimestamp(text: string): string | null {
  const match = isoTimestamp.exec(text);
  if (!match) throw undecided;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw undecided;
  }
  // the form the engine writes (toISOString's) needs no formatting: most clients send it
  if (text.length === 24 && zone === 'Z' && fraction.length === 3 && text[10] === 'T') return text;
  const local = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s));
  const [offsetHours, offsetMins] = zone === 'Z' ? [0, 0] : [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
  if (offsetHours > 14 || offsetMins > 59) throw undecided;
  const offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  return new Date(local - offsetMinutes * 60_000 + Number(fraction.padEnd(3, '0').slice(0, 3))).toISOString();
}

/** The days of a month of the Gregorian calendar. */
function daysIn(year: number, month: number): number {
  if (month !== 2) return monthDays[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const decimalAmount = /^ *([+-]?)(\d{1,9})(?:\.(\d{1,9}))? *$/;

/** try_cast(text as decimal(18, 9)) in nano-dollars, for plain decimals of at most 9 places (no rounding). */
function toNanos18(text: string): bigint {
  const match = decimalAmount.exec(text);
  if (!match) throw undecided;
  const [, sign, whole, fraction = ''] = match;
  const nanos = BigInt(whole!) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  return sign === '-' ? -nanos : nanos;
}
