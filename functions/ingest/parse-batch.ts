import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';
import { BatchTooLargeError, type IngestLimits } from './limits.js';

/**
 * The body of an ingest request as records: a JSON array of records, or NDJSON (one record per line), told apart by
 * the first character that is not white space (`[` is an array). Limits on the whole batch are checked here, before
 * any record is looked at; limits on single records are recordProblem's (check-record.ts).
 *
 * Invalid UTF-8 cannot be pinned on a record from the bytes alone without a second JSON parser, so it is found in
 * two steps: Buffer's isUtf8 over the whole body (fast, and true for almost every batch), and only when that fails,
 * the records whose strings hold U+FFFD, the character each invalid byte sequence decodes to. A batch that also
 * holds a correctly encoded U+FFFD beside an invalid byte would have that record rejected too: an acceptable cost.
 */

export interface IncomingRecord {
  /** 0-based place in the batch (for NDJSON, among its non-blank lines). */
  index: number;
  /** The parsed record: any JSON value, judged later. */
  value?: unknown;
  /** For an NDJSON line that is not JSON: the line as sent, so that the loader's own check rejects it. */
  text?: string;
}

export interface Batch {
  records: IncomingRecord[];
  /** False when some bytes of the body are not UTF-8: the records holding U+FFFD are then rejected. */
  validUtf8: boolean;
}

/**
 * @param raw the body's bytes as received (the functions framework keeps them as rawBody)
 * @param parsed the body as the framework parsed it, when it did (a JSON array saves a second parse)
 * @throws BatchTooLargeError over max_bytes or max_records; InputError for a body that is no batch at all
 */
export function parseBatch(raw: Buffer, parsed: unknown, limits: IngestLimits): Batch {
  if (raw.length > limits.max_bytes) {
    throw new BatchTooLargeError(
      `the body is ${raw.length} bytes: a batch may hold at most ${limits.max_bytes} bytes (ingest.max_bytes): split it into smaller batches`,
    );
  }
  if (raw.length === 0) throw noRecords();
  const validUtf8 = isUtf8(raw);
  // The framework has parsed a body sent as application/json already: an array is the batch, an object one record.
  const values = Array.isArray(parsed)
    ? parsed.map((value) => ({ value }))
    : isRecord(parsed)
      ? [{ value: parsed }]
      : parseText(raw.toString('utf8'));
  if (values.length === 0) throw noRecords();
  if (values.length > limits.max_records) {
    throw new BatchTooLargeError(
      `the batch holds ${values.length} records: a batch may hold at most ${limits.max_records} (ingest.max_records): split it into smaller batches`,
    );
  }
  return { records: values.map((record, index) => ({ index, ...record })), validUtf8 };
}

function parseText(text: string): Omit<IncomingRecord, 'index'>[] {
  if (text.trimStart().startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(text);
    } catch (cause) {
      // JSON.parse's message quotes the body around the error, which may be anybody's PII: only its position is said
      const position = /position (\d+)/.exec((cause as Error).message)?.[1];
      const where = position === undefined ? 'it ends early or is not JSON' : `invalid JSON at character ${position}`;
      throw new InputError(`the body is not a JSON array (${where}): send a JSON array of records, or NDJSON (one record per line)`);
    }
    if (!Array.isArray(array)) throw new InputError('the body is not a JSON array: send a JSON array of records, or NDJSON');
    return array.map((value) => ({ value }));
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return { value: JSON.parse(line) as unknown };
      } catch {
        return { text: line };
      }
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function noRecords(): InputError {
  return new InputError('the body holds no records: send a JSON array of call records, or NDJSON (one record per line)');
}
