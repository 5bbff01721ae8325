import { piiFieldPolicy } from '../pii/fields.js';
import { pseudonymizeCustomerId, type PseudonymSalt } from '../pii/pseudonymize.js';
import { redact } from '../pii/redact.js';
import { defaultConfig } from '../config/finops-config.js';
import type { ShapeAttributes } from '../ledger/stage.js';

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
 * A foreign shape's customer field is pseudonymized too, wherever the shape keeps it: a key named by the config's
 * `shapes.customer_attributes` or LiteLLM's `end_user` (at any depth: LiteLLM's metadata, OTel flat maps), an OTLP
 * attribute `{"key": <such a name>, "value": {"stringValue": ...}}`, or a LiteLLM tag `<such a name>:<value>`.
 * Redacting it like free text would turn every customer whose id is an email into the one customer `[EMAIL]`;
 * pseudonymizing a string that holds no PII keeps it as it is, and one that does is hashed whole, so this never
 * stores more than redaction would.
 */

const policy = piiFieldPolicy.llm_calls;
const kept: ReadonlySet<string> = new Set<string>(policy.identifiers);
/** OpenTelemetry's ids (OTLP JSON spells them in camelCase; flat attribute maps with dots). */
const foreignIds: ReadonlySet<string> = new Set(['traceId', 'spanId', 'parentSpanId', 'trace_id', 'span_id', 'parent_span_id']);

/** The keys that hold a customer id in any shape: the native field, LiteLLM's end_user and the configured names. */
export function customerKeys(attributes: ShapeAttributes = defaultConfig.shapes): ReadonlySet<string> {
  return new Set([...policy.pseudonymize, 'end_user', ...attributes.customer_attributes]);
}

const defaultCustomerKeys = customerKeys();

interface Keys {
  salt: PseudonymSalt | undefined;
  customers: ReadonlySet<string>;
}

export function redactIncoming(value: unknown, salt: PseudonymSalt | undefined, customers: ReadonlySet<string> = defaultCustomerKeys): unknown {
  const keys: Keys = { salt, customers };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return redactDeep(value, keys);
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = typeof item === 'string' && kept.has(key) ? item : redactDeep(item, keys, key);
    if (next !== item) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

/** `key`: the member name the value is held under, when it is an object's member. */
function redactDeep(value: unknown, keys: Keys, key?: string): unknown {
  if (typeof value === 'string') {
    if (key !== undefined && keys.customers.has(key)) return pseudonymizeCustomerId(value, keys.salt);
    if (key !== undefined && foreignIds.has(key)) return value;
    return redactTag(value, keys);
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = redactDeep(item, keys);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  const object = value as Record<string, unknown>;
  // an OTLP attribute names its key beside its value: {"key": "app.customer_id", "value": {"stringValue": "..."}}
  const customerAttribute = typeof object.key === 'string' && keys.customers.has(object.key);
  let out: Record<string, unknown> | undefined;
  for (const [name, item] of Object.entries(object)) {
    const next = customerAttribute && name === 'value' ? redactAttributeValue(item, keys) : redactDeep(item, keys, name);
    if (next !== item) (out ??= { ...object })[name] = next;
  }
  return out ?? value;
}

/** An OTLP AnyValue of a customer attribute: its stringValue pseudonymized, anything else redacted. */
function redactAttributeValue(value: unknown, keys: Keys): unknown {
  if (typeof value !== 'object' || value === null || typeof (value as { stringValue?: unknown }).stringValue !== 'string') return redactDeep(value, keys);
  const { stringValue } = value as { stringValue: string };
  const next = pseudonymizeCustomerId(stringValue, keys.salt);
  return next === stringValue ? value : { ...value, stringValue: next };
}

/** Free text redacted; a LiteLLM tag `<customer key>:<id>` keeps its name and gets the id's pseudonym. */
function redactTag(text: string, keys: Keys): string {
  const colon = text.indexOf(':');
  if (colon > 0 && keys.customers.has(text.slice(0, colon))) return text.slice(0, colon + 1) + pseudonymizeCustomerId(text.slice(colon + 1), keys.salt);
  return redact(text).text;
}
