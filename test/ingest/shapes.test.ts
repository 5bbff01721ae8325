import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../functions/paths.js';
import { call, ingestFunction, type IngestFunction } from './support/ingest-function.js';

/**
 * Foreign record shapes through the ingest function: it stages its batches with the loader's own staging, so the
 * OpenTelemetry and LiteLLM samples of the loader's tests (test/ledger/fixtures/) land as the same rows as their
 * native twins, and what the ingest function adds (redaction first) changes none of it.
 */
const fixture = (name: string) => readFileSync(join(packageRoot, 'test', 'ledger', 'fixtures', name), 'utf8');
const shapes = 'shapes:\n  feature_attributes: [app.feature, feature]\n  segment_attributes: [app.segment, segment]\n  customer_attributes: [app.customer_id]\n';
const columns = `* exclude (source_shape, load_id, loaded_at)`;

describe('foreign record shapes posted to the ingest function', () => {
  let fn: IngestFunction;
  beforeAll(async () => (fn = await ingestFunction({ config: shapes })));
  afterAll(() => fn.remove());

  it.each([
    ['OpenTelemetry flat attribute maps', 'otel-flat.ndjson', 'otel-native.ndjson', 'otel'],
    ['OpenTelemetry OTLP export requests', 'otel-otlp.ndjson', 'otel-native.ndjson', 'otel'],
    ['LiteLLM spend-log rows', 'litellm.ndjson', 'litellm-native.ndjson', 'litellm'],
  ])('land %s as the same rows as their native twins', async (_, foreign, native, shape) => {
    const twin = await ingestFunction({ config: shapes });
    try {
      const posted = await fn.post(fixture(foreign), 'application/x-ndjson');
      expect(posted.status).toBe(200);
      expect(await twin.post(fixture(native), 'application/x-ndjson')).toMatchObject({ status: 200, body: { rejected: [] } });
      const ids = (await twin.query(`select call_id from llm_calls`)).map((r) => `'${r.call_id}'`).join(', ');
      const rows = await fn.query(`select ${columns} from llm_calls where call_id in (${ids}) order by call_id`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(await twin.query(`select ${columns} from llm_calls order by call_id`));
      expect(await fn.query(`select distinct source_shape from llm_calls where call_id in (${ids})`)).toEqual([{ source_shape: shape }]);
    } finally {
      twin.remove();
    }
  });

  it('refuses a batch mixing shapes as a whole, naming the record', async () => {
    const otelLine = fixture('otel-flat.ndjson').split('\n')[0]!;
    const answer = await fn.post(`${JSON.stringify(call({ call_id: 'mixed' }))}\n${otelLine}\n`, 'application/x-ndjson');
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/^the batch: record 1 is an OpenTelemetry GenAI span but record 0 is a native call record/);
  });

  it('quarantines every record of a batch refused for its shapes, with the reason, and lands none', async () => {
    const mixed = await ingestFunction({ config: shapes });
    try {
      const otelLine = fixture('otel-flat.ndjson').split('\n')[0]!;
      const answer = await mixed.post(`${JSON.stringify(call({ call_id: 'mixed' }))}\n${otelLine}\n`, 'application/x-ndjson');
      expect(answer.status).toBe(400);
      expect(await mixed.query(`select line, field, reason from quarantine order by line`)).toEqual([0, 1].map((line) => ({ line, field: 'record', reason: answer.body.error.message })));
      expect(await mixed.query(`select rows_read, rows_loaded, rejected from loads`)).toEqual([{ rows_read: 2, rows_loaded: 0, rejected: 2 }]);
      expect(await mixed.query(`select count(*) as n from llm_calls`)).toEqual([{ n: 0 }]);
      expect(JSON.stringify(await mixed.tables())).not.toContain('jane.doe@example.com');
    } finally {
      mixed.remove();
    }
  });

  it('takes a LiteLLM row or an OTel span carrying a long prompt, which staging drops, and stores none of it', async () => {
    const prompt = `My card is 4111 1111 1111 1111. ${'Please summarise this long document. '.repeat(200)}`;
    const litellm = { request_id: 'long-1', model: 'gpt-4o-mini', prompt_tokens: 10, completion_tokens: 5, spend: 0.001, startTime: '2026-11-02T10:00:00Z', messages: [{ role: 'user', content: prompt }], response: { text: prompt } };
    const otel = { traceId: 'aa', spanId: 'bb', startTimeUnixNano: '1772445600000000000', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'gen_ai.input.messages': prompt };
    expect(await fn.post(JSON.stringify([litellm]))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } });
    expect(await fn.post(JSON.stringify([otel]))).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } });
    expect(JSON.stringify(await fn.tables())).not.toContain('Please summarise');
  });

  it('rejects a foreign record whose mapped field is over the limit, and quarantines its content as a count', async () => {
    const prompt = 'Please summarise this long document. '.repeat(100);
    const litellm = { request_id: 'long-2', model: 'm'.repeat(2049), prompt_tokens: 10, completion_tokens: 5, spend: 0.001, startTime: '2026-11-02T10:00:00Z', messages: [{ role: 'user', content: prompt }] };
    const answer = await fn.post(JSON.stringify([litellm, { ...litellm, request_id: 'long-3', model: 'gpt-4o-mini', prompt_tokens: -1 }]));
    expect(answer.body).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [
        { index: 0, field: 'model', reason: expect.stringMatching(/^is 2049 characters long/) },
        { index: 1, field: 'input_tokens', reason: expect.stringMatching(/"-1" is not a whole number/) },
      ],
    });
    const records = (await fn.query(`select record from quarantine where record like '%"request_id":"long-%' order by line`)).map((r) => String(r.record));
    expect(records).toHaveLength(2);
    for (const record of records) expect(JSON.parse(record).messages).toEqual([{ role: 'user', content: `[${prompt.length} characters dropped]` }]);
    expect(JSON.stringify(await fn.tables())).not.toContain('Please summarise');
  });
});
