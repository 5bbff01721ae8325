import { piiFieldPolicy } from '../pii/fields.js';
import { pseudonymizeCustomerId, type PseudonymSalt } from '../pii/pseudonymize.js';
import { redact } from '../pii/redact.js';

/**
 * Redacts an incoming record before anything of it is stored, the quarantine included: every string in it, at any
 * depth, gets functions/pii's placeholders, except
 * - the identifiers of a call record (call_id, request_id, outcome_id, prompt_prefix_hash: functions/pii/fields.ts),
 *   kept as sent because dedupe and joins depend on them (the pii-scan job checks them), and the span and trace ids
 *   of OpenTelemetry records (hex ids, which a card rule could in rare cases match), for the same reason;
 * - customer_id, which becomes its keyed pseudonym (functions/pii/pseudonymize.ts), so chargeback by customer works.
 * Strings the native record does not know are redacted too: they are rejected or dropped later, but their text
 * reaches the quarantine. Nothing is copied unless something changes.
 *
 * A foreign shape's customer field (an OTel attribute, LiteLLM's end_user) is redacted like free text here, not
 * pseudonymized: its place in the record is the shape's business (functions/ledger/stage.ts).
 */

const policy = piiFieldPolicy.llm_calls;
const kept: ReadonlySet<string> = new Set<string>(policy.identifiers);
const pseudonymized: ReadonlySet<string> = new Set<string>(policy.pseudonymize);
/** OpenTelemetry's ids (OTLP JSON spells them in camelCase; flat attribute maps with dots). */
const foreignIds: ReadonlySet<string> = new Set(['traceId', 'spanId', 'parentSpanId', 'trace_id', 'span_id', 'parent_span_id']);

export function redactIncoming(value: unknown, salt: PseudonymSalt | undefined): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return redactDeep(value);
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    let next: unknown;
    if (typeof item === 'string' && kept.has(key)) next = item;
    else if (typeof item === 'string' && pseudonymized.has(key)) next = pseudonymizeCustomerId(item, salt);
    else next = redactDeep(item);
    if (next !== item) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value).text;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = redactDeep(item);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = typeof item === 'string' && foreignIds.has(key) ? item : redactDeep(item);
    if (next !== item) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}
