import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Row } from '../../functions/engine/engine.js';
import { EngineError } from '../../functions/errors.js';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { ingestBatch } from '../../functions/ingest/ingest-batch.js';
import { landBatch } from '../../functions/ingest/land-batch.js';
import { apiError, FakeBigQuery } from '../support/fake-bigquery.js';
import { call, ingestFunction, type IngestFunction } from './support/ingest-function.js';

/**
 * Landing a batch on BigQuery, as deployed: the ingest function with FINOPS_ENGINE=bigquery, the real client against
 * the fake REST API on 127.0.0.1. What goes over the wire: one bounded query for the call_ids the ledger holds,
 * then insertAll with each call's call_id as its insertId.
 */
describe('landing an ingest batch on BigQuery', () => {
  let fake: FakeBigQuery;
  let fn: IngestFunction;
  let answer: { status: number; body: any };
  beforeAll(async () => {
    fake = await FakeBigQuery.start();
    vi.stubEnv('GCE_METADATA_HOST', fake.host);
    fn = await ingestFunction({
      env: { FINOPS_ENGINE: 'bigquery', FINOPS_BQ_PROJECT: 'test-project', FINOPS_BQ_DATASET: 'finops', FINOPS_BQ_API_ENDPOINT: fake.apiEndpoint },
    });
    // The ledger already holds c2: a client is retrying a batch that partly landed.
    fake.answerQueries({ schema: [{ name: 'call_id', type: 'STRING' }], rows: [['c2']] });
    answer = await fn.post(JSON.stringify([call(), call({ call_id: 'c2' }), call({ call_id: 'c3', model: null })]));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    fn.remove();
    await fake.stop();
  });

  it('answers what landed, what the ledger had and what was rejected', () => {
    expect(answer).toEqual({
      status: 200,
      body: { accepted: 1, duplicates: 1, rejected: [{ index: 2, field: 'model', reason: expect.stringMatching(/is missing/) }] },
    });
  });

  it('asks for the known call_ids within the partitions around the batch\'s days only', () => {
    const [job] = fake.requestsTo('jobs.insert').map((r) => r.body.configuration.query);
    expect(job.query).toMatch(/from `test-project\.finops\.llm_calls`\s+where ts >= cast\(@from as timestamp\)\s+and ts < cast\(@to as timestamp\)[\s\S]*and call_id in \(select \* from unnest\(@call_ids\)\)/);
    const params = Object.fromEntries(
      job.queryParameters.map((p: any) => [p.name, p.parameterValue.value ?? p.parameterValue.arrayValues.map((v: any) => v.value)]),
    );
    expect({ ...params, call_ids: [...params.call_ids].sort() }).toEqual({ from: '2026-11-01', to: '2026-11-04', call_ids: ['c1', 'c2'] });
  });

  it('streams the new call with its call_id as insertId, and the quarantine, the touched day and the load', () => {
    const inserts = fake.requestsTo('tabledata.insertAll').map((r) => ({ table: r.path.split('/').at(-2), rows: r.body.rows }));
    expect(inserts.map((i) => i.table)).toEqual(['pending_days', 'quarantine', 'llm_calls', 'loads']);
    const calls = inserts.find((i) => i.table === 'llm_calls')!.rows;
    expect(calls).toEqual([
      {
        insertId: 'c1',
        json: expect.objectContaining({ call_id: 'c1', ts: '2026-11-02T10:00:00.000Z', cost_usd: '0.000435000', cost_source: 'catalog', input_tokens: 1000 }),
      },
    ]);
    const [load] = inserts.find((i) => i.table === 'loads')!.rows;
    expect(load.json).toMatchObject({ source: 'ingest', rows_read: 3, rows_loaded: 1, duplicates: 1, rejected: 1, first_day: '2026-11-02' });
    expect(load.insertId).toBe(load.json.load_id);
    expect(inserts.find((i) => i.table === 'quarantine')!.rows.map((r: any) => [r.json.line, r.json.field])).toEqual([[2, 'model']]);
  });
});

describe('a ledger failing under an ingest batch', () => {
  it('answers 500 with the error code and a fixed message, and logs neither the engine\'s message nor a call_id', async () => {
    const fake = await FakeBigQuery.start();
    vi.stubEnv('GCE_METADATA_HOST', fake.host);
    const fn = await ingestFunction({
      env: { FINOPS_ENGINE: 'bigquery', FINOPS_BQ_PROJECT: 'test-project', FINOPS_BQ_DATASET: 'finops', FINOPS_BQ_API_ENDPOINT: fake.apiEndpoint },
    });
    try {
      fake.answerQueries({ schema: [{ name: 'call_id', type: 'STRING' }], rows: [] });
      fake.answerNext('tabledata.insertAll', apiError(400, 'invalid', 'row call-ann@example.com: no such field: colour'));
      const answer = await fn.post(JSON.stringify([call({ call_id: 'call-ann@example.com' })]));
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: { code: expect.any(String), message: expect.stringMatching(/^the ledger failed: send the batch again, it lands once$/) } });
      expect(JSON.stringify([answer.body, fn.log])).not.toContain('ann@example.com');
      expect(fn.log.at(-1)!.fields).toMatchObject({ error: answer.body.error.code, status: 500 });
    } finally {
      vi.unstubAllEnvs();
      fn.remove();
      await fake.stop();
    }
  });
});

/** Landing on the embedded engine: DuckDB's appender, straight into each table (functions/engine/duckdb.ts). */
describe('landing an ingest batch on DuckDB', () => {
  const load = { load_id: 'land_test', loaded_at: '2026-11-05T12:00:00.000Z', source: 'ingest' };
  /** A call as validate-batch.ts hands it to landBatch. */
  const landing = (overrides: Row = {}): Row => ({
    ts: '2026-11-02T10:00:00.123Z', call_id: 'd1', request_id: 'd1', attempt: 1, feature: 'support_bot', segment: null,
    customer_id: null, provider: 'openai', model: 'gpt-4o-mini', prompt_id: null, prompt_prefix_hash: null, input_tokens: 1000,
    cached_input_tokens: 200, cache_write_input_tokens: 0, output_tokens: 500, latency_ms: 900, status: 'ok', quality: 0.25,
    outcome_id: null, cost_usd: '123456789.123456789', cost_source: 'given', source_shape: 'native', ...load, ...overrides,
  });
  let ledger: DuckDBEngine;
  beforeEach(async () => {
    ledger = await DuckDBEngine.open();
    await ledger.ensureTables();
  });
  afterEach(() => ledger.close());

  it('keeps timestamps to the millisecond and amounts to the nano-dollar', async () => {
    await landBatch(ledger, load, { records: 1, calls: [landing()], repeats: 0, quarantine: [] });

    expect(await ledger.exec('select ts, cost_usd, quality, input_tokens from llm_calls')).toEqual([
      { ts: '2026-11-02T10:00:00.123Z', cost_usd: '123456789.123456789', quality: 0.25, input_tokens: 1000 },
    ]);
  });

  it('lands a call once when two batches holding it land on the same ledger at the same time', async () => {
    const options = { limits: defaultConfig.ingest, salt: undefined, negotiated: [] };
    const batch = (id: string) => ({ records: [{ index: 0, value: call({ call_id: 'same' }) }, { index: 1, value: call({ call_id: id }) }], validUtf8: true });

    const answers = await Promise.all([ingestBatch(ledger, batch('first'), options), ingestBatch(ledger, batch('second'), options)]);

    expect(answers.map((a) => [a.accepted, a.duplicates])).toEqual([[2, 0], [1, 1]]);
    expect(await ledger.exec(`select call_id from llm_calls order by call_id`)).toEqual([{ call_id: 'first' }, { call_id: 'same' }, { call_id: 'second' }]);
  });

  it('lands none of the calls when the table refuses one of them, not even those appended before it', async () => {
    const calls = [landing({ call_id: 'd1' }), landing({ call_id: 'd2', ts: 'not a time' })];

    await expect(ledger.insertRows('llm_calls', calls)).rejects.toThrow(EngineError);
    expect(await ledger.exec('select count(*) as n from llm_calls')).toEqual([{ n: 0 }]);
  });
});
