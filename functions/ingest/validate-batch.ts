import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '../engine/engine.js';
import { InputError } from '../errors.js';
import { dropValidationTables, newRecordsSelect, rejectedSelect, validateFile, type LoadOptions } from '../ledger/load.js';
import { withScratch } from './scratch.js';

/**
 * Validates and prices a batch of (already redacted) records with the file loader's own SQL: the batch is written as
 * an NDJSON file and loaded into the scratch DuckDB (scratch.ts) exactly as `ai-finops load` reads a file, so there
 * is one definition of a valid call and of its price, and every record shape the loader stages, ingest takes.
 * The file lives for the few milliseconds of the batch, in the temp folder (memory, on Cloud Functions).
 */

export interface ValidatedBatch {
  /** The valid calls, each once (a call_id repeated in the batch counts from its first record), priced. */
  calls: Row[];
  /** Quarantine rows of the records the loader rejected, with the record's index in the batch as `line`. */
  rejections: Row[];
}

/** A record of the batch as one line of NDJSON, with its index in the batch. */
export interface BatchLine {
  index: number;
  line: string;
}

export interface BatchLoad {
  load_id: string;
  loaded_at: string;
  source: string;
}

/** `options`: the negotiated prices, and where foreign shapes carry feature, segment and customer (config `shapes:`). */
export async function validateBatch(
  lines: BatchLine[],
  load: BatchLoad,
  options: Pick<LoadOptions, 'negotiated' | 'shapeAttributes'>,
): Promise<ValidatedBatch> {
  const path = join(tmpdir(), `ai-finops-ingest-${randomUUID()}.ndjson`);
  await writeFile(path, lines.map((l) => l.line).join('\n') + '\n');
  /** The batch index of the record on a line (1-based) of the file. */
  const indexOf = (line: unknown) => lines[Number(line) - 1]!.index;
  try {
    return await withScratch(async (engine) => {
      try {
        const file = await validateFile(engine, 'calls', path, load, { ...options, materialize: true });
        const calls = await engine.exec(newRecordsSelect(file), file.params);
        const rejected = Number(file.summary.rejected) > 0 ? await engine.exec(rejectedSelect(file), file.params) : [];
        return { calls, rejections: rejected.map((row) => ({ ...row, line: indexOf(row.line) })) };
      } catch (error) {
        // The loader refuses a file as a whole (records of two shapes, of no known shape) naming its path and line:
        // said of the batch and the record's index instead, for the client to fix.
        if (!(error instanceof InputError)) throw error;
        const message = error.message.replaceAll(path, 'the batch').replace(/\bline (\d+)/g, (_, line) => `record ${indexOf(line)}`);
        throw new InputError(message, { cause: error });
      } finally {
        await dropValidationTables(engine);
      }
    });
  } finally {
    await rm(path, { force: true });
  }
}
