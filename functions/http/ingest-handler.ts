import type { HttpFunction } from '@google-cloud/functions-framework';
import { openEngine } from '../engine/open.js';
import { FinopsError, InputError } from '../errors.js';
import { ingestBatch, type IngestAnswer } from '../ingest/ingest-batch.js';
import { BatchTooLargeError } from '../ingest/limits.js';
import { oneAtATime } from '../ingest/one-at-a-time.js';
import { parseBatch, type Batch } from '../ingest/parse-batch.js';
import { readNegotiatedPrices } from '../pricing/negotiated.js';
import type { PricePeriod } from '../pricing/price-period.js';
import { errorBody, readSetup, type JobHandlerOptions, type Setup } from './job-handler.js';
import { jsonLogger } from './log.js';

/**
 * The `ingest` function: a gateway or an app POSTs a batch of call records (a JSON array, or NDJSON with any other
 * content type), and each record is checked, redacted, validated, priced and landed once (functions/ingest/).
 * No schedule calls it; IAM lets only the principals in var.ingest_invokers do (terraform/functions.tf).
 *
 * Answers:
 * | status | when                                                                   | body                                  |
 * |--------|------------------------------------------------------------------------|---------------------------------------|
 * | 200    | some record is valid: landed now (`accepted`) or already (`duplicates`) | `{accepted, duplicates, rejected}`    |
 * | 400    | every record was rejected, or the body holds no batch (not JSON, records | the same, or `{"error": {...}}`        |
 * |        | of two shapes: a batch holds one shape, as a file does)                  |                                       |
 * | 405    | not a POST                                                              | `{"error": {...}}`                    |
 * | 413    | the batch is over ingest.max_bytes or ingest.max_records                | `{"error": {...}}` naming the limit   |
 * | 500    | bad settings or config, or the ledger failed: retry the batch, it lands once | `{"error": {...}}`             |
 * A batch the ledger already holds answers 200 with every call a duplicate, so a client retrying a batch that had
 * landed sees success, not an error it would retry forever.
 *
 * Settings, config, the PII salt and the negotiated prices are read once per instance, on the first request. The log
 * lines carry counts and error codes only: never a record, a value or a reason (a reason may quote a value).
 */

interface IngestSetup extends Setup {
  negotiated: PricePeriod[];
}

export function ingestHandler(options: JobHandlerOptions = {}): HttpFunction {
  const env = options.env ?? process.env;
  const log = options.log ?? jsonLogger();
  let setup: Promise<IngestSetup> | undefined;
  // Batches land one at a time per instance, so that two deliveries of one batch meeting here never both find its
  // calls new (across instances, BigQuery's insertIds keep them once). Deployed, an instance serves one request at
  // a time anyway (terraform/functions.tf); this is for the local framework and the tests.
  const inTurn = oneAtATime();

  return async (request, response) => {
    const started = Date.now();
    if (request.method !== 'POST') {
      response.set('Allow', 'POST');
      response.status(405).json(errorBody(new InputError(`${request.method} is not allowed: POST a batch of call records`)));
      return;
    }
    let batch: Batch;
    let ready: IngestSetup;
    try {
      setup ??= readIngestSetup(env);
      ready = await setup;
      batch = parseBatch(rawBody(request), request.body, ready.config.ingest);
    } catch (error) {
      const status = error instanceof BatchTooLargeError ? 413 : error instanceof InputError ? 400 : 500;
      const code = error instanceof FinopsError ? error.code : 'unexpected';
      log(status === 500 ? 'ERROR' : 'WARNING', `ingest: batch refused (${code})`, { job: 'ingest', error: code, status });
      response.status(status).json(errorBody(error));
      return;
    }
    try {
      const answer: IngestAnswer = await inTurn(async () => {
        const engine = await openEngine(ready.settings, ready.settings.duckdbPath, ready.config);
        try {
          return await ingestBatch(engine, batch, {
            limits: ready.config.ingest,
            salt: ready.settings.piiSalt,
            negotiated: ready.negotiated,
            shapeAttributes: ready.config.shapes,
            now: options.now,
          });
        } finally {
          await engine.close();
        }
      });
      const status = answer.accepted + answer.duplicates > 0 ? 200 : 400;
      log(status === 200 ? 'INFO' : 'WARNING', `ingest: ${answer.accepted} accepted, ${answer.duplicates} duplicates, ${answer.rejected.length} rejected`, {
        job: 'ingest',
        records: batch.records.length,
        accepted: answer.accepted,
        duplicates: answer.duplicates,
        rejected: answer.rejected.length,
        duration_ms: Date.now() - started,
        status,
      });
      response.status(status).json(answer);
    } catch (error) {
      // A batch refused whole (records of two shapes) is the client's to fix; anything else may pass on a retry.
      const status = error instanceof InputError ? 400 : 500;
      const code = error instanceof FinopsError ? error.code : 'unexpected';
      log(status === 400 ? 'WARNING' : 'ERROR', status === 400 ? `ingest: batch refused (${code})` : `ingest failed (${code}): the batch can be sent again, it lands once`, {
        job: 'ingest',
        records: batch.records.length,
        error: code,
        duration_ms: Date.now() - started,
        status,
      });
      // A ledger's message may quote a row (BigQuery names `row <insertId>`, the call_id): the caller gets the code
      // and what to do; the code alone says which failure it was.
      response.status(status).json(status === 400 ? errorBody(error) : { error: { code, message: ledgerFailed } });
    }
  };
}

const ledgerFailed = 'the ledger failed: send the batch again, it lands once';

async function readIngestSetup(env: NodeJS.ProcessEnv): Promise<IngestSetup> {
  const { settings, config } = await readSetup(env);
  const prices = config.pricing.negotiated_prices;
  return { settings, config, negotiated: prices ? readNegotiatedPrices(prices) : [] };
}

/** The body's bytes: the framework keeps them as rawBody; a body handed over otherwise is turned back into bytes. */
function rawBody(request: { rawBody?: Buffer; body?: unknown }): Buffer {
  if (request.rawBody) return request.rawBody;
  const { body } = request;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0) ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
}
