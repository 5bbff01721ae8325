import type { Row } from '../engine/engine.js';
import { InputError } from '../errors.js';
import type { LoadOptions } from '../ledger/load.js';
import { detectionSample, detectShape } from '../ledger/shapes.js';
import { defaultConfig } from '../config/finops-config.js';
import { CallPricer, type CallCost } from '../pricing/call-cost.js';
import type { PricePeriod } from '../pricing/price-period.js';
import { checkCall, type CheckedCall } from './check-call.js';
import { runOnScratch } from './scratch.js';

/**
 * Validates and prices a batch of (already redacted) records by the file loader's definitions. The batch's shape is
 * decided by the loader's rule (detectShape) from the keys of its first records, which the function has parsed
 * already. Then:
 * - a native batch is checked in TypeScript against the loader's rules (check-call.ts, from
 *   functions/ledger/call-rules.ts, which validate_calls.sql's CASE is generated from too) and priced from the same
 *   price list with the same arithmetic as new_calls.sql (functions/pricing/call-cost.ts);
 * - a batch of a foreign shape (OTel, LiteLLM), or a native one holding a record whose values the TypeScript check
 *   cannot read as DuckDB would for certain (check-call.ts says which), goes through the loader's SQL itself in
 *   the scratch DuckDB (scratch.ts), staged as NDJSON lines exactly as `ai-finops load` stages a file's: the foreign
 *   shapes' mappings are SQL only (sql/duckdb/stage_otel.sql, stage_litellm.sql), written once.
 */

export interface ValidatedBatch {
  /** The valid calls, each once (a call_id repeated in the batch counts from its first record), priced. */
  calls: Row[];
  /** Quarantine rows of the records the loader rejected, with the record's index in the batch as `line`. */
  rejections: Row[];
  /** The valid calls skipped because an earlier call of the batch has their call_id (`call_id` only): duplicates. */
  skipped: Row[];
}

/** A record of the batch as one line of NDJSON, with its index in the batch. */
export interface BatchLine {
  index: number;
  /** The line; for a JSON object, may be left out and is then `value` as JSON (lineOf), written only if needed. */
  line?: string;
  /** The record's keys, when it is a JSON object: what its shape is told by. */
  keys: string[] | null;
  /** The record's call_id as sent, when it is a JSON object. */
  callId?: unknown;
  /** The record as `line` holds it, parsed, when it is a JSON object: what the TypeScript check reads. */
  value?: Record<string, unknown>;
}

/** The record's NDJSON line. */
export function lineOf(line: BatchLine): string {
  return line.line ?? JSON.stringify(line.value);
}

export interface BatchLoad {
  load_id: string;
  loaded_at: string;
  source: string;
}

/**
 * Whether no two records of a native batch can have the same call_id, known without the loader's SQL: each is a
 * plain string (printable ASCII, no spaces: so the SQL's trim leaves it as it is) and a Set holds them all. A batch
 * of UUIDs is; any other batch is searched for repeats by the SQL.
 */
function idsUnique(lines: BatchLine[]): boolean {
  const ids = new Set<string>();
  for (const { callId } of lines) {
    if (typeof callId !== 'string' || !/^[\x21-\x7e]+$/.test(callId) || ids.has(callId)) return false;
    ids.add(callId);
  }
  return true;
}

/** The batch's records are of two shapes, or of none the loader knows: the batch is refused whole. */
export class BatchShapeError extends InputError {}

/** `options`: the negotiated prices, and where foreign shapes carry feature, segment and customer (config `shapes:`). */
export async function validateBatch(
  lines: BatchLine[],
  load: BatchLoad,
  options: Pick<LoadOptions, 'negotiated' | 'shapeAttributes'>,
): Promise<ValidatedBatch> {
  /** The batch index of the record on a line (1-based) of the batch. */
  const indexOf = (line: unknown) => lines[Number(line) - 1]!.index;
  let shape;
  try {
    shape = detectShape(lines.slice(0, detectionSample).map((l, i) => ({ line: i + 1, keys: l.keys })), 'auto', 'the batch');
  } catch (error) {
    // The loader refuses a file of records of two shapes, or of no known shape, naming its line: said of the
    // record's index instead, for the client to fix.
    if (!(error instanceof InputError)) throw error;
    throw new BatchShapeError(error.message.replace(/\bline (\d+)/g, (_, line) => `record ${indexOf(line)}`), { cause: error });
  }
  if (shape === 'native') {
    const checked = checkedBatch(lines, load, options.negotiated ?? []);
    if (checked) return checked;
  }
  const rows = await runOnScratch({
    lines: lines.map(lineOf),
    shape,
    uniqueIds: shape === 'native' && idsUnique(lines),
    attributes: options.shapeAttributes ?? defaultConfig.shapes,
    negotiated: options.negotiated ?? [],
    load,
  });
  const calls: Row[] = [];
  const rejections: Row[] = [];
  const skipped: Row[] = [];
  for (const row of rows) {
    if (row.repeated !== null) skipped.push({ call_id: row.call_id });
    else if (row.reason === null) calls.push(row);
    else rejections.push({ ...row, line: indexOf(row.line) });
  }
  return { calls, rejections, skipped };
}

/**
 * A native batch validated and priced in TypeScript, as batchSelect (functions/ledger/load.ts) does in SQL: the
 * calls that land (a call_id repeated in the batch lands from its first record), the repeats, and the rejected
 * records as quarantine rows. Undefined when a record is undecided: the whole batch then goes to the SQL, which
 * keeps "the first record of a call_id wins" simple across records of both kinds.
 */
function checkedBatch(lines: BatchLine[], load: BatchLoad, negotiated: PricePeriod[]): ValidatedBatch | undefined {
  const valid: CheckedCall[] = [];
  const rejections: Row[] = [];
  for (const line of lines) {
    const verdict = line.value === undefined ? 'undecided' : checkCall(line.value);
    if (verdict === 'undecided') return undefined;
    if (verdict.call) valid.push(verdict.call);
    else rejections.push({ ...quarantineHeader(load), line: line.index, ...verdict.problem, record: lineOf(line) });
  }
  const pricer = pricerFor(negotiated);
  const seen = new Set<string>();
  const calls: Row[] = [];
  const skipped: Row[] = [];
  for (const call of valid) {
    if (seen.has(call.call_id)) {
      skipped.push({ call_id: call.call_id });
      continue;
    }
    seen.add(call.call_id);
    // new_calls.sql: a cost the record gives is kept (`given`); otherwise the price list's, or none (`unpriced`)
    const cost: CallCost = call.cost_usd !== null ? { cost_usd: call.cost_usd, cost_source: 'given' } : pricer.cost(call);
    calls.push(landingRow(call, cost, load));
  }
  return { calls, rejections, skipped };
}

/**
 * A call as llm_calls holds it. Written out rather than spread: an object spread of twenty-odd fields per call
 * cost more than checking and pricing it.
 */
function landingRow(call: CheckedCall, cost: CallCost, load: BatchLoad): Row {
  return {
    ts: call.ts,
    call_id: call.call_id,
    request_id: call.request_id,
    attempt: call.attempt,
    feature: call.feature,
    segment: call.segment,
    customer_id: call.customer_id,
    provider: call.provider,
    model: call.model,
    prompt_id: call.prompt_id,
    prompt_prefix_hash: call.prompt_prefix_hash,
    input_tokens: call.input_tokens,
    cached_input_tokens: call.cached_input_tokens,
    cache_write_input_tokens: call.cache_write_input_tokens,
    output_tokens: call.output_tokens,
    latency_ms: call.latency_ms,
    status: call.status,
    quality: call.quality,
    outcome_id: call.outcome_id,
    cost_usd: cost.cost_usd,
    cost_source: cost.cost_source,
    source_shape: 'native',
    load_id: load.load_id,
    loaded_at: load.loaded_at,
  };
}

/** The columns of a quarantine row that come from the load (load.ts's rejectedRows). */
export function quarantineHeader(load: BatchLoad): Row {
  return { quarantined_at: load.loaded_at, load_id: load.load_id, source: load.source, record_kind: 'calls' };
}

/**
 * The pricer of the last negotiated rates seen, with the rates it has looked up: a process prices every batch with
 * its config's rates, so this is one pricer for the life of the process, emptied only when the rates differ.
 */
let pricer: { negotiated: string; pricer: CallPricer } | undefined;

function pricerFor(negotiated: PricePeriod[]): CallPricer {
  const key = JSON.stringify(negotiated);
  if (pricer?.negotiated !== key) pricer = { negotiated: key, pricer: new CallPricer(negotiated) };
  return pricer.pricer;
}
