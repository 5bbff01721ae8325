import { InputError } from '../errors.js';
import { recordFieldNames } from './records.js';

/**
 * Record shapes: the forms in which call records arrive. `native` is the llm_calls record of CONTRACT.md; the
 * foreign shapes are what teams already produce, mapped to it in SQL when they are staged (sql/duckdb/stage_*.sql):
 *
 * - `otel`: OpenTelemetry GenAI spans, as OTLP JSON (`resourceSpans`, one export request per line, as the OTel
 *   file exporter writes) or as flat attribute maps (one span per line, `{"gen_ai.request.model": ...}`);
 * - `litellm`: rows of LiteLLM's spend log (its `LiteLLM_SpendLogs` table), exported as NDJSON or CSV.
 *
 * Which shape a file holds is decided from its first records (`detectShape`): each record is told apart by the
 * keys only its shape uses. A file holds one shape; a file whose first records mix shapes is refused with the line
 * that differs, since a mixed export is usually two files concatenated by mistake.
 */
export const recordShapes = ['native', 'otel', 'litellm'] as const;
export type RecordShape = (typeof recordShapes)[number];
export type ShapeChoice = RecordShape | 'auto';

/** How a person calls each shape, in messages. */
export const shapeNames: Readonly<Record<RecordShape, string>> = {
  native: 'a native call record',
  otel: 'an OpenTelemetry GenAI span',
  litellm: 'a LiteLLM spend-log row',
};

/** How many records at the start of a file decide its shape. */
export const detectionSample = 100;

/** Columns of LiteLLM_SpendLogs that no native record has (its request_id, model and status are shared). */
const litellmKeys = new Set(['startTime', 'endTime', 'prompt_tokens', 'completion_tokens', 'spend', 'call_type', 'custom_llm_provider']);
/** Native fields no foreign shape uses at the top level of a record. */
const nativeKeys = new Set(recordFieldNames('calls').filter((name) => !['request_id', 'model', 'status'].includes(name)));

/**
 * The shape a record's keys (or a CSV's columns) belong to, or null when they name none. OpenTelemetry is told by
 * `resourceSpans` or any `gen_ai.*` attribute; LiteLLM by its camelCase times and its token and spend columns;
 * native by its own fields. Foreign markers win over native ones, so a LiteLLM row is never read as a native record
 * with unknown fields.
 *
 * @example shapeOfKeys(['request_id', 'model', 'prompt_tokens', 'startTime']) // 'litellm'
 */
export function shapeOfKeys(keys: readonly string[]): RecordShape | null {
  if (keys.some((k) => k === 'resourceSpans' || k.startsWith('gen_ai.'))) return 'otel';
  if (keys.some((k) => litellmKeys.has(k))) return 'litellm';
  if (keys.some((k) => nativeKeys.has(k))) return 'native';
  return null;
}

/** A record of the sample: its line and its keys, or null keys when it is not a JSON object. */
export interface SampledRecord {
  line: number;
  keys: readonly string[] | null;
}

/**
 * The shape of a file (named `source` in messages) from its first records. With `choice` 'auto' the records
 * decide; records that are not JSON objects are left to the validation, which quarantines them. Given a shape, the
 * file is checked against it, so that a wrong `--shape` is an error rather than a file of quarantined records.
 *
 * @throws InputError naming the line and the fix: records of two shapes, records of no known shape, or a given
 *   shape that none of the records has
 * @example detectShape([{ line: 1, keys: ['resourceSpans'] }], 'auto', 'spans.ndjson') // 'otel'
 */
export function detectShape(sample: readonly SampledRecord[], choice: ShapeChoice, source: string): RecordShape {
  const objects = sample.filter((r): r is { line: number; keys: readonly string[] } => r.keys !== null);
  const found = objects.map((r) => ({ line: r.line, shape: shapeOfKeys(r.keys) }));
  const known = found.filter((r): r is { line: number; shape: RecordShape } => r.shape !== null);
  const first = known[0];
  if (choice !== 'auto') {
    if (first === undefined || known.some((r) => r.shape === choice)) return choice;
    throw new InputError(
      `${source}: line ${first.line} is ${shapeNames[first.shape]}, not ${shapeNames[choice]}: use --shape ${first.shape}, or --shape auto to detect it`,
    );
  }
  // no objects at all (an empty file, or only lines that are not JSON): native, so the validation names each line
  if (objects.length === 0) return 'native';
  if (first === undefined) {
    throw new InputError(
      `${source}: line ${objects[0]!.line} is not a record of any known shape: a native call record has ts, call_id, model, ` +
        `input_tokens and output_tokens; an OpenTelemetry span has resourceSpans or gen_ai.* attributes; a LiteLLM ` +
        `spend-log row has startTime, prompt_tokens and spend. Fix the records, or give --shape native to have ` +
        `each one quarantined with its reason`,
    );
  }
  const other = known.find((r) => r.shape !== first.shape);
  if (other) {
    throw new InputError(
      `${source}: line ${other.line} is ${shapeNames[other.shape]} but line ${first.line} is ${shapeNames[first.shape]}: ` +
        `a file holds records of one shape; split it by shape, or give --shape ${first.shape} to quarantine the others`,
    );
  }
  return first.shape;
}
