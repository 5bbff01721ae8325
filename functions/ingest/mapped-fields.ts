import type { ShapeAttributes } from '../ledger/stage.js';
import { shapeOfKeys } from '../ledger/shapes.js';

/**
 * Which strings of an incoming record the ingest string limit (ingest.max_string_chars) applies to: those its shape
 * maps to a call field. A native record's fields are all call fields. A foreign record carries content the staging
 * drops (LiteLLM's `messages`, `response`, `proxy_server_request`; OTel's `gen_ai.input.messages`): refusing the call
 * for a long prompt would lose real spend for text that never reaches the ledger, so the limit skips it (and the
 * quarantine and the staged line hold `[N characters dropped]` instead, check-record.ts).
 *
 * A string is named by its nearest member name, or, inside an OTLP attribute `{"key": k, "value": {...}}`, by k;
 * array elements take their array's name. The names below are those sql/duckdb/stage_litellm.sql and
 * stage_otel.sql read (test/ingest/mapped-fields.test.ts checks each against the SQL), plus the config's
 * feature, segment and customer names.
 */

const litellmNames = [
  'request_id', 'model', 'custom_llm_provider', 'startTime', 'endTime', 'request_duration_ms', 'prompt_tokens',
  'completion_tokens', 'spend', 'cache_hit', 'status', 'end_user', 'request_tags', 'tags', 'cache_read_input_tokens',
  'cached_tokens', 'cache_creation_input_tokens', 'error_code', 'error_class',
];

const otelNames = [
  'traceId', 'trace_id', 'spanId', 'span_id', 'startTimeUnixNano', 'start_time_unix_nano', 'endTimeUnixNano',
  'end_time_unix_nano', 'status', 'status_code', 'code', 'otel.status_code', 'error.type', 'http.request.resend_count',
  'gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model', 'gen_ai.response.model',
  'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens', 'gen_ai.prompt.name', 'gen_ai.evaluation.score.value',
];

export const mappedNames = { litellm: litellmNames, otel: otelNames } as const;

/** Whether the string named `name` (undefined: the record itself) is held to the limit. */
export type Limited = (name: string | undefined) => boolean;

const everyString: Limited = () => true;

/** The rule for one record: by its own keys' shape; a record of no known shape is held to the native rule. */
export function limitedStrings(value: unknown, attributes: ShapeAttributes): Limited {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return everyString;
  const shape = shapeOfKeys(Object.keys(value));
  if (shape === null || shape === 'native') return everyString;
  const names = new Set<string>([
    ...mappedNames[shape],
    ...attributes.feature_attributes,
    ...attributes.segment_attributes,
    ...attributes.customer_attributes,
  ]);
  return (name) => name === undefined || names.has(name);
}
