/**
 * What makes a call record valid, declared once, as data: each rule a field, a check and the message (with its
 * fix) a record failing it gets. The first failing rule, in this order, is the one reported. Two things are
 * compiled from the list:
 * - the SQL the loader runs (`callProblemSql`: the CASE that sql/duckdb/validate_calls.sql holds as the line
 *   `-- call_problem --` (callProblemMarker), filled in by functions/ledger/load.ts), over validate_calls.sql's columns `<field>` (the
 *   value cleaned or cast: text trimmed of spaces and null when blank, numbers as DOUBLE, cost_usd as DECIMAL) and,
 *   for the fields that are cast, `<field>_raw` (the value as staged);
 * - the TypeScript checker of ingest batches (functions/ingest/check-call.ts), which applies the same checks to a
 *   parsed record and writes the same `{field, reason}`.
 * The messages are written once, here: `{value}` stands for the value as sent, quoted (its first 40 characters),
 * and `{<field>}` for a count (0 when absent).
 */

/**
 * Where validate_calls.sql takes the CASE, on a line of its own: an SQL comment, so that it reads as no macro of
 * sql/README.md's `{{ ... }}` syntax and an unfilled file fails to parse instead of running without its checks.
 */
export const callProblemMarker = '-- call_problem --';

/** The fields validate_calls.sql casts, which it keeps as staged in `<field>_raw` for the messages. */
export const castFields = [
  'ts', 'attempt', 'input_tokens', 'cached_input_tokens', 'cache_write_input_tokens', 'output_tokens', 'latency_ms',
  'quality', 'cost_usd',
] as const;

export type CallCheck =
  /** The record is not one JSON object (staging says why, in `parse_error`). */
  | { kind: 'parse_error' }
  /** A key that is not a field of a call record: the first one, in the record's order. */
  | { kind: 'unknown_field' }
  /** Present, and for text not blank. */
  | { kind: 'required' }
  /** A time: ISO 8601, with an offset or UTC. */
  | { kind: 'timestamp' }
  /** A whole number >= min; `optional`: may be absent. */
  | { kind: 'whole'; min: number; optional: boolean }
  /** Any number >= 0 (optional). */
  | { kind: 'non_negative' }
  /** An amount in USD >= 0, as a decimal (optional). */
  | { kind: 'amount' }
  /** A number at most `max`, when present (a value that is not a number is an earlier rule's). */
  | { kind: 'at_most'; max: number }
  /** A score in [0, 1] (optional). */
  | { kind: 'score' }
  /** One of a set, compared lower-case (optional). */
  | { kind: 'one_of'; values: readonly string[] }
  /** cached_input_tokens + cache_write_input_tokens <= input_tokens. */
  | { kind: 'cache_within_input' };

export interface CallRule {
  /** The field reported; for `unknown_field`, the unknown key is. */
  field: string;
  check: CallCheck;
  /** The reason, with `{value}` and `{<field>}` as above; for `parse_error`, staging's own reason is. */
  reason: string;
}

const whole = (min: number, optional: boolean): CallCheck => ({ kind: 'whole', min, optional });

/**
 * More tokens than any call takes (the largest context windows hold ten million): a count in the wrong unit or a
 * corrupt record. The bound also keeps a call's catalog cost far below the billion dollars a record's amount holds
 * (DECIMAL(18, 9)), so no priced call can fail the landing of its whole load.
 */
export const maxTokens = 100_000_000_000;
const tooManyTokens = (field: string): CallRule => ({
  field,
  check: { kind: 'at_most', max: maxTokens },
  reason: `{value} is more tokens than any call takes (at most ${maxTokens}): check that the field counts tokens`,
});

/** More tries of one request than any retry policy makes: a counter that is not the attempt's number. */
export const maxAttempt = 1_000;
/**
 * A week in milliseconds: longer than any call takes, a batch API's 24-hour window included; a larger latency is
 * most likely microseconds or nanoseconds.
 */
export const maxLatencyMs = 7 * 24 * 3_600_000;

export const callRules: readonly CallRule[] = [
  { field: 'record', check: { kind: 'parse_error' }, reason: '' },
  {
    field: '',
    check: { kind: 'unknown_field' },
    reason: 'is not a field of a call record: rename it to one of the fields in sql/schema/llm_calls.json, or drop it',
  },
  { field: 'ts', check: { kind: 'required' }, reason: 'is missing: give the UTC time the call started, e.g. 2026-11-01T12:34:56Z' },
  { field: 'ts', check: { kind: 'timestamp' }, reason: '{value} is not a timestamp: use ISO 8601, e.g. 2026-11-01T12:34:56Z' },
  { field: 'call_id', check: { kind: 'required' }, reason: 'is missing: give each attempt a unique id' },
  { field: 'model', check: { kind: 'required' }, reason: 'is missing: give the model id as the provider names it, e.g. gpt-4o-mini' },
  {
    field: 'attempt',
    check: whole(1, true),
    reason: '{value} is not a whole number >= 1: use 1 for the first try, 2 for the first retry',
  },
  {
    field: 'attempt',
    check: { kind: 'at_most', max: maxAttempt },
    reason: `{value} is more tries than any retry policy makes (at most ${maxAttempt}): use 1 for the first try, 2 for the first retry`,
  },
  { field: 'input_tokens', check: { kind: 'required' }, reason: 'is missing: give the input tokens, cached ones included' },
  { field: 'input_tokens', check: whole(0, false), reason: '{value} is not a whole number >= 0' },
  tooManyTokens('input_tokens'),
  { field: 'output_tokens', check: { kind: 'required' }, reason: 'is missing: give the output tokens' },
  { field: 'output_tokens', check: whole(0, false), reason: '{value} is not a whole number >= 0' },
  tooManyTokens('output_tokens'),
  { field: 'cached_input_tokens', check: whole(0, true), reason: '{value} is not a whole number >= 0' },
  { field: 'cache_write_input_tokens', check: whole(0, true), reason: '{value} is not a whole number >= 0' },
  tooManyTokens('cached_input_tokens'),
  tooManyTokens('cache_write_input_tokens'),
  {
    field: 'cached_input_tokens',
    check: { kind: 'cache_within_input' },
    reason:
      'cached ({cached_input_tokens}) plus cache-write ({cache_write_input_tokens}) tokens exceed input_tokens ({input_tokens}): ' +
      'input_tokens must include cached tokens, as the OpenTelemetry GenAI conventions count them',
  },
  { field: 'latency_ms', check: { kind: 'non_negative' }, reason: '{value} is not a number of milliseconds >= 0' },
  {
    field: 'latency_ms',
    check: { kind: 'at_most', max: maxLatencyMs },
    reason: `{value} is longer than a week (at most ${maxLatencyMs} ms): check that the field counts milliseconds, not microseconds`,
  },
  {
    field: 'status',
    check: { kind: 'one_of', values: ['ok', 'error', 'timeout', 'rate_limited'] },
    reason: '{value} is not a status: use ok, error, timeout or rate_limited',
  },
  {
    field: 'quality',
    check: { kind: 'score' },
    reason: '{value} is not a score in [0, 1]: leave it out when the call was not scored',
  },
  {
    field: 'cost_usd',
    check: { kind: 'amount' },
    reason:
      '{value} is not an amount in USD from 0 to 999999999.999999999: write it as a decimal, e.g. 0.0123, or leave it ' +
      'out to have the call priced',
  },
];

/** How many characters of a value a message quotes. */
export const quotedChars = 40;

/** A reason's text between its placeholders, and the placeholders: `{value}` or `{<field>}`. */
export function reasonParts(reason: string): { text: string; placeholder?: string }[] {
  return reason.split(/(\{[a-z_]+\})/).filter((part) => part !== '').map((part) =>
    /^\{[a-z_]+\}$/.test(part) ? { text: part, placeholder: part.slice(1, -1) } : { text: part },
  );
}

/** Whether a rule requires the field: a count in a message then needs no default. */
export const isRequired = (field: string, rules: readonly CallRule[] = callRules) =>
  rules.some((rule) => rule.field === field && rule.check.kind === 'required');
const isCast = (field: string) => (castFields as readonly string[]).includes(field);
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The CASE of validate_calls.sql: the first rule a row fails, as `{'field': ..., 'reason': ...}`, or null. A
 * quoted value is the staged text of a cast field, or the cleaned text of any other (status: trimmed, lower-case).
 */
export function callProblemSql(rules: readonly CallRule[] = callRules): string {
  const whens = rules.map((rule) => {
    const { condition, field, reason } = ruleSql(rule, rules);
    return `            when ${condition}\n                then {'field': ${field}, 'reason': ${reason}}`;
  });
  return `case\n${whens.join('\n')}\n        end`;
}

function ruleSql(rule: CallRule, rules: readonly CallRule[]): { condition: string; field: string; reason: string } {
  const f = rule.field;
  const raw = isCast(f) ? `${f}_raw` : f;
  const present = `${raw} is not null and `;
  const check = rule.check;
  const condition = (() => {
    switch (check.kind) {
      case 'parse_error':
        return 'parse_error is not null';
      case 'unknown_field':
        return 'len(unknown_fields) > 0';
      case 'required':
        return `${raw} is null`;
      case 'timestamp':
        return `${f} is null`;
      case 'whole': {
        const wrong = `(${f} is null or ${f} < ${check.min} or ${f} <> floor(${f}))`;
        return check.optional ? present + wrong : wrong.slice(1, -1);
      }
      case 'at_most':
        return `${f} > ${check.max}`;
      case 'non_negative':
      case 'amount':
        return `${present}(${f} is null or ${f} < 0)`;
      case 'score':
        return `${present}(${f} is null or ${f} < 0 or ${f} > 1 or isnan(${f}))`;
      case 'one_of':
        return `${f} is not null and ${f} not in (${check.values.map(literal).join(', ')})`;
      case 'cache_within_input':
        return 'coalesce(cached_input_tokens, 0) + coalesce(cache_write_input_tokens, 0) > input_tokens';
    }
  })();
  if (check.kind === 'parse_error') return { condition, field: literal(f), reason: 'parse_error' };
  if (check.kind === 'unknown_field') return { condition, field: 'unknown_fields[1]', reason: literal(rule.reason) };
  // literals next to each other are written as one
  const pieces: ({ literal: string } | { sql: string })[] = reasonParts(rule.reason).flatMap(({ text, placeholder }) => {
    if (placeholder === undefined) return [{ literal: text }];
    if (placeholder === 'value') {
      return [{ literal: '"' }, { sql: `left(${isCast(f) ? `cast(${raw} as varchar)` : raw}, ${quotedChars})` }, { literal: '"' }];
    }
    // hugeint, not bigint: a count is quoted before it is known to be in range, and must not fail the load
    const count = isRequired(placeholder, rules) ? placeholder : `coalesce(${placeholder}, 0)`;
    return [{ sql: `cast(cast(${count} as hugeint) as varchar)` }];
  });
  const merged: string[] = [];
  let text: string | undefined;
  for (const piece of pieces) {
    if ('literal' in piece) text = (text ?? '') + piece.literal;
    else {
      if (text !== undefined) merged.push(literal(text));
      merged.push(piece.sql);
      text = undefined;
    }
  }
  if (text !== undefined) merged.push(literal(text));
  const reason = merged.join(' || ');
  return { condition, field: literal(f), reason };
}
