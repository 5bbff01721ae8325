import type { Row } from '../engine/engine.js';
import { InputError } from '../errors.js';
import type { LoadOptions } from '../ledger/load.js';
import { detectionSample, detectShape } from '../ledger/shapes.js';
import { defaultConfig } from '../config/finops-config.js';
import { runOnScratch } from './scratch.js';

/**
 * Validates and prices a batch of (already redacted) records with the file loader's own SQL, in the scratch DuckDB
 * (scratch.ts): the batch is staged as NDJSON lines exactly as `ai-finops load` stages a file's, so there is one
 * definition of a valid call and of its price, and every record shape the loader stages, ingest takes. The batch's
 * shape is decided by the loader's rule (detectShape) from the keys of its first records, which the function has
 * parsed already.
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
  line: string;
  /** The record's keys, when it is a JSON object: what its shape is told by. */
  keys: string[] | null;
  /** The record's call_id as sent, when it is a JSON object. */
  callId?: unknown;
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
  const rows = await runOnScratch({
    lines: lines.map((l) => l.line),
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
