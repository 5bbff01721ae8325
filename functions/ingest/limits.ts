import type { FinopsConfig } from '../config/finops-config.js';
import { InputError } from '../errors.js';

/**
 * What one ingest batch may hold: the config's `ingest:` section (finops.config.example.yaml), so an operator can
 * change a limit without a deploy of new code. Why the defaults:
 * - 5,000 records and 5 MiB a batch: a batch is validated in memory in one piece, and lands in BigQuery in
 *   insertAll requests of 500 rows, far below the API's 10 MB a request; Cloud Functions refuse bodies over 32 MiB
 *   anyway. A gateway flushing every second or every 500 calls stays well inside.
 * - 2,048 characters a string: model names, ids, tags and segments are short. A longer string is almost always a
 *   prompt or a response pasted into a field: content the cost ledger must not hold.
 * - 16 levels of nesting: an OTLP JSON export nests 13 deep (resourceSpans, scopeSpans, spans, attributes, an
 *   attribute's arrayValue); deeper JSON is a mistake, or an attempt on the parser.
 */
export type IngestLimits = FinopsConfig['ingest'];

/** The batch as a whole is over a limit (bytes or records): answered 413, and none of it is read. */
export class BatchTooLargeError extends InputError {}
