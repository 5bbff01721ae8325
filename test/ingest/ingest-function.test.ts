import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { loadFile } from '../../functions/ledger/load.js';
import { ndjson, tempFolder } from '../support/tmp.js';
import { call, ingestFunction, type IngestFunction } from './support/ingest-function.js';

/** {"a": {"a": ... {"a": 1}}}, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** An OTLP export request holding one span per attribute map given (numbers as intValue), with the span ids given. */
function otlp(spans: Record<string, string | number>[], spanIds = spans.map((_, i) => `00f067aa0ba902b${i}`)): Record<string, unknown> {
  const attributes = (map: Record<string, string | number>) =>
    Object.entries(map).map(([key, value]) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } }));
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes({ 'service.name': 'api' }) },
        scopeSpans: [
          {
            spans: spans.map((map, i) => ({
              traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
              spanId: spanIds[i],
              name: 'chat',
              startTimeUnixNano: '1772445600000000000',
              attributes: attributes(map),
            })),
          },
        ],
      },
    ],
  };
}

const inference = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5 };

describe('the ingest function', () => {
  let fn: IngestFunction;
  beforeEach(async () => (fn = await ingestFunction()));
  afterEach(() => fn.remove());

  it('lands a valid batch once, even when it is posted twice', async () => {
    const batch = JSON.stringify([call(), call({ call_id: 'c2', cost_usd: '0.5' }), call({ call_id: 'c3', ts: '2026-11-03T08:00:00Z' })]);
    const first = await fn.post(batch);
    expect(first).toEqual({ status: 200, body: { accepted: 3, duplicates: 0, rejected: [] } });
    const second = await fn.post(batch);
    expect(second).toEqual({ status: 200, body: { accepted: 0, duplicates: 3, rejected: [] } });
    expect(await fn.query(`select count(*) as calls, cast(sum(cost_usd) as varchar) as spend from llm_calls`)).toEqual([
      // 0.5 given, plus twice the catalog price of the record (see the pricing test): 2 x 0.000435
      { calls: 3, spend: '0.500870000' },
    ]);
    const loads = await fn.query(`select rows_read, rows_loaded, duplicates, rejected, source from loads order by rows_loaded desc`);
    expect(loads).toEqual([
      { rows_read: 3, rows_loaded: 3, duplicates: 0, rejected: 0, source: 'ingest' },
      { rows_read: 3, rows_loaded: 0, duplicates: 3, rejected: 0, source: 'ingest' },
    ]);
  });

  it('lands a call_id repeated within one batch once, counting the repeat as a duplicate', async () => {
    const answer = await fn.post(JSON.stringify([call(), call({ output_tokens: 9 })]));
    expect(answer.body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await fn.query(`select output_tokens from llm_calls`)).toEqual([{ output_tokens: 500 }]);
  });

  it('counts calls, not records: an OTLP record with one good span and two without a model answers 200, accepted 1', async () => {
    const { 'gen_ai.request.model': _, ...noModel } = inference;
    const answer = await fn.post(JSON.stringify([otlp([inference, noModel, noModel])]));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(answer.body.rejected).toHaveLength(2);
    expect(await fn.query(`select rows_loaded, duplicates, rejected from loads`)).toEqual([{ rows_loaded: 1, duplicates: 0, rejected: 2 }]);
  });

  it('counts a skipped agent span as nothing, not as a duplicate', async () => {
    const agent = { ...inference, 'gen_ai.operation.name': 'invoke_agent' };
    const answer = await fn.post(JSON.stringify([otlp([inference]), otlp([agent], ['a2fb4a1d1a96d312'])]));
    expect(answer).toEqual({ status: 200, body: { accepted: 1, duplicates: 0, rejected: [] } });
    expect(await fn.query(`select rows_loaded, duplicates, rejected from loads`)).toEqual([{ rows_loaded: 1, duplicates: 0, rejected: 0 }]);
  });

  it('counts a span repeated within one record as a duplicate', async () => {
    const answer = await fn.post(JSON.stringify([otlp([inference, inference], ['00f067aa0ba902b7', '00f067aa0ba902b7'])]));
    expect(answer).toEqual({ status: 200, body: { accepted: 1, duplicates: 1, rejected: [] } });
    expect(await fn.query(`select count(*) as n from llm_calls`)).toEqual([{ n: 1 }]);
  });

  it('takes NDJSON, one record per line, as well as a JSON array', async () => {
    const answer = await fn.post(ndjson([call(), call({ call_id: 'c2' })]), 'application/x-ndjson');
    expect(answer).toEqual({ status: 200, body: { accepted: 2, duplicates: 0, rejected: [] } });
  });

  it('leaves NDJSON sent as application/json to the framework, which refuses it before the function runs', async () => {
    const answer = await fn.post(ndjson([call(), call({ call_id: 'c2' })]), 'application/json');
    expect(answer.status).toBe(400);
    expect(await fn.query(`select count(*) as n from loads`)).toEqual([{ n: 0 }]);
  });

  it('prices a call without a cost from the catalog exactly, as the file loader does', async () => {
    // gpt-4o-mini: $0.15 input, $0.075 cached read, $0.60 output per million tokens
    // (800 x 0.15 + 200 x 0.075 + 500 x 0.60) / 1e6 = 0.000435
    await fn.post(JSON.stringify([call()]));
    const [ingested] = await fn.query(`select * exclude (load_id, loaded_at) from llm_calls`);
    expect(ingested).toMatchObject({ cost_usd: '0.000435000', cost_source: 'catalog', request_id: 'c1', attempt: 1 });

    const folder = tempFolder();
    const engine = await DuckDBEngine.open();
    try {
      await engine.ensureTables();
      await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson([call()])));
      expect(await engine.exec(`select * exclude (load_id, loaded_at) from llm_calls`)).toEqual([ingested]);
    } finally {
      await engine.close();
      folder.remove();
    }
  });

  it('marks the days it landed calls on for the next rollup', async () => {
    await fn.post(JSON.stringify([call(), call({ call_id: 'c2', ts: '2026-11-04T23:59:59Z' })]));
    expect(await fn.query(`select table_name, cast(day as varchar) as day from pending_days order by day`)).toEqual([
      { table_name: 'llm_calls', day: '2026-11-02' },
      { table_name: 'llm_calls', day: '2026-11-04' },
    ]);
  });

  const malformed: { name: string; record: unknown; field: string; reason: RegExp }[] = [
    { name: 'a token count of the wrong type', record: call({ input_tokens: 'many' }), field: 'input_tokens', reason: /"many" is not a whole number >= 0/ },
    { name: 'a boolean for a count', record: call({ output_tokens: true }), field: 'output_tokens', reason: /is not a whole number/ },
    { name: 'negative tokens', record: call({ output_tokens: -5 }), field: 'output_tokens', reason: /"-5" is not a whole number >= 0/ },
    { name: 'more cached tokens than input tokens', record: call({ cached_input_tokens: 2000 }), field: 'cached_input_tokens', reason: /exceed input_tokens/ },
    { name: 'a missing model', record: call({ model: undefined }), field: 'model', reason: /is missing: give the model id/ },
    { name: 'a field the call record does not know', record: call({ prompt: 'hello' }), field: 'prompt', reason: /is not a field of a call record/ },
    { name: 'a string over the length limit', record: call({ segment: 'x'.repeat(2049) }), field: 'segment', reason: /2049 characters long: a string may hold at most 2048 \(ingest\.max_string_chars\)/ },
    { name: 'JSON nested past the depth limit', record: call({ metadata: nested(40) }), field: 'metadata.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a', reason: /nests deeper than 16 levels/ },
    { name: 'a record that is not an object', record: 42, field: 'record', reason: /is not a JSON object/ },
  ];

  it.each(malformed.map((m) => [m.name, m] as const))('rejects %s with its field and the fix, and quarantines it', async (_, m) => {
    const answer = await fn.post(JSON.stringify([call({ call_id: 'ok' }), m.record]));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 1, field: m.field, reason: expect.stringMatching(m.reason) }] });
    const quarantined = await fn.query(`select line, field, reason, source, record_kind from quarantine`);
    expect(quarantined).toEqual([{ line: 1, field: m.field, reason: answer.body.rejected[0].reason, source: 'ingest', record_kind: 'calls' }]);
  });

  it('rejects a record holding bytes that are not UTF-8, and only that record', async () => {
    const [before, after] = JSON.stringify([call({ call_id: 'ok' }), call({ call_id: 'bad', feature: '@@' })]).split('@@');
    const body = Buffer.concat([Buffer.from(before!), Buffer.from([0x73, 0xff, 0xfe, 0x62]), Buffer.from(after!)]);
    const answer = await fn.post(body);
    expect(answer.body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ index: 1, field: 'feature', reason: 'holds bytes that are not valid UTF-8: send the batch encoded as UTF-8' }],
    });
    expect(await fn.query(`select call_id from llm_calls`)).toEqual([{ call_id: 'ok' }]);
    expect(await fn.query(`select line, field from quarantine`)).toEqual([{ line: 1, field: 'feature' }]);
  });

  it('rejects an NDJSON line that is not JSON, keeping the line in the quarantine', async () => {
    const body = `${JSON.stringify(call())}\n{"ts": "2026-11-02T10:00:00Z", "call_id": \n`;
    const answer = await fn.post(body, 'application/x-ndjson');
    expect(answer.body.rejected).toEqual([{ index: 1, field: 'record', reason: expect.stringMatching(/is not valid JSON/) }]);
    expect(await fn.query(`select record from quarantine`)).toEqual([{ record: '{"ts": "2026-11-02T10:00:00Z", "call_id": ' }]);
  });

  it('answers 400 with every reason when no record was accepted', async () => {
    const answer = await fn.post(JSON.stringify([call({ model: '' }), call({ call_id: 'c2', input_tokens: -1 })]));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [
        { index: 0, field: 'model', reason: expect.stringMatching(/is missing/) },
        { index: 1, field: 'input_tokens', reason: expect.stringMatching(/"-1" is not a whole number/) },
      ],
    });
    expect(await fn.query(`select count(*) as n from quarantine`)).toEqual([{ n: 2 }]);
  });

  it.each([
    ['an empty body', '', /holds no records/],
    ['a JSON array cut short', '[{"ts": 1', /is not a JSON array/],
  ])('answers 400 to %s, saying what to send', async (_, body, message) => {
    const answer = await fn.post(body, 'text/plain');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'bad_input', message: expect.stringMatching(message) });
  });
});

describe('the ingest function\'s batch limits', () => {
  let fn: IngestFunction;
  beforeAll(async () => (fn = await ingestFunction({ config: 'ingest:\n  max_records: 3\n  max_bytes: 2048\n' })));
  afterAll(() => fn.remove());

  it('answers 413 naming the limit to a batch of too many records, and lands none of it', async () => {
    const records = [1, 2, 3, 4].map((i) => ({ ts: '2026-11-02T10:00:00Z', call_id: `c${i}`, model: 'm', input_tokens: 1, output_tokens: 1 }));
    const answer = await fn.post(JSON.stringify(records));
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toMatch(/4 records: a batch may hold at most 3 \(ingest\.max_records\)/);
    expect(await fn.query(`select (select count(*) from llm_calls) + (select count(*) from quarantine) as n`)).toEqual([{ n: 0 }]);
  });

  it('answers 413 naming the limit to a body of too many bytes', async () => {
    const answer = await fn.post(JSON.stringify([call({ segment: 'x'.repeat(2100) })]));
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toMatch(/bytes: a batch may hold at most 2048 bytes \(ingest\.max_bytes\)/);
  });

  it('answers 405 to anything but a POST', async () => {
    const answer = await fn.send('GET');
    expect(answer.status).toBe(405);
    expect(answer.body.error.message).toMatch(/GET is not allowed: POST a batch of call records/);
  });
});

describe('the ingest function under concurrent deliveries', () => {
  it('lands a batch delivered three times at once once, and says so in the answers', async () => {
    const fn = await ingestFunction();
    try {
      const batch = JSON.stringify([call(), call({ call_id: 'c2' })]);
      const answers = await Promise.all([fn.post(batch), fn.post(batch), fn.post(batch)]);
      expect(answers.map((a) => a.body.accepted).sort()).toEqual([0, 0, 2]);
      expect(answers.map((a) => a.body.duplicates).sort()).toEqual([0, 2, 2]);
      expect(await fn.query(`select count(*) as n from llm_calls`)).toEqual([{ n: 2 }]);
    } finally {
      fn.remove();
    }
  });
});
