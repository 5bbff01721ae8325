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
});
