import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { InputError } from '../../functions/errors.js';
import { loadFile, type LoadOptions } from '../../functions/ledger/load.js';
import type { ShapeChoice } from '../../functions/ledger/shapes.js';
import { ndjson, tempFolder } from '../support/tmp.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => join(fixtures, name);
const folder = tempFolder();
afterAll(() => folder.remove());

/** The attribute names the samples carry feature, segment and customer in (config `shapes:`). */
const shapeAttributes: LoadOptions['shapeAttributes'] = {
  feature_attributes: ['app.feature', 'feature'],
  segment_attributes: ['app.segment', 'segment'],
  customer_attributes: ['app.customer_id'],
};

/** Loads a file into a fresh ledger and reads back every llm_calls row, the columns a load sets itself apart. */
async function landedRows(path: string, shape: ShapeChoice = 'auto') {
  const engine = await DuckDBEngine.open();
  try {
    await engine.ensureTables();
    const result = await loadFile(engine, 'calls', path, { shape, shapeAttributes });
    const rows = await engine.exec('select * exclude (source_shape, load_id, loaded_at) from llm_calls order by call_id');
    const shapes = await engine.exec('select distinct source_shape from llm_calls');
    return { result, rows, shapes: shapes.map((r) => r.source_shape) };
  } finally {
    await engine.close();
  }
}

describe('staging foreign record shapes', () => {
  const twins = [
    { name: 'OpenTelemetry spans as OTLP JSON', file: 'otel-otlp.ndjson', twin: 'otel-native.ndjson', shape: 'otel' },
    { name: 'OpenTelemetry spans as flat attribute maps', file: 'otel-flat.ndjson', twin: 'otel-native.ndjson', shape: 'otel' },
    { name: 'LiteLLM spend-log rows as NDJSON', file: 'litellm.ndjson', twin: 'litellm-native.ndjson', shape: 'litellm' },
    { name: 'LiteLLM spend-log rows as CSV', file: 'litellm.csv', twin: 'litellm-native.ndjson', shape: 'litellm' },
  ];

  it.each(twins)('lands $name as the same rows as their native twins, recording the shape', async ({ file, twin, shape }) => {
    const native = await landedRows(fixture(twin), 'native');
    const foreign = await landedRows(fixture(file));
    expect(native.result).toMatchObject({ rows_read: 3, loaded: 3, rejected: 0 });
    expect(foreign.result).toMatchObject({ shape, rows_read: 3, loaded: 3, rejected: 0 });
    expect(foreign.rows).toEqual(native.rows);
    expect(foreign.shapes).toEqual([shape]);
    expect(native.shapes).toEqual(['native']);
  });

  it('maps the response model over the request model, cache reads and writes, errors and retries from spans', async () => {
    const { rows } = await landedRows(fixture('otel-otlp.ndjson'));
    expect(rows.map((r) => [r.model, r.cached_input_tokens, r.cache_write_input_tokens, r.status, r.attempt])).toEqual([
      ['gpt-4o-mini', 0, 0, 'error', 2],
      ['gpt-4o-mini', 200, 0, 'ok', 1],
      ['claude-sonnet-4-20250514', 1000, 500, 'rate_limited', 1],
    ]);
  });

  it('skips agent and non-GenAI spans, whose tokens are their model calls\' tokens or none', async () => {
    const { rows } = await landedRows(fixture('otel-otlp.ndjson'));
    expect(rows.map((r) => r.call_id)).not.toContain('4bf92f3577b34da6a3ce929d0e0e4736:a2fb4a1d1a96d312');
    expect(rows.reduce((sum, r) => sum + Number(r.input_tokens), 0)).toBe(4010);
  });

  it('prices a LiteLLM call logged with a spend of 0 that was no cache hit, and keeps a cache hit free', async () => {
    const { rows } = await landedRows(fixture('litellm.ndjson'));
    expect(rows.map((r) => [r.call_id, r.cost_source, r.cost_usd])).toEqual([
      ['chatcmpl-7f3a', 'given', '0.000435000'],
      ['chatcmpl-9b1c', 'given', '0.000000000'],
      // claude-sonnet-4: (1500 x 3 + 1000 x 0.30 + 500 x 3.75 + 200 x 15) / 1e6
      ['msg_01XFDUDYJgAACzvnptvVoYEL', 'catalog', '0.009675000'],
    ]);
  });

  it('keeps a GenAI evaluation score in [0, 1] as the quality and leaves a score on another scale out, landing the call', async () => {
    const score = (value: number) => ({ key: 'gen_ai.evaluation.score.value', value: { doubleValue: value } });
    const spans = { resourceSpans: [{ scopeSpans: [{ spans: [span('s1', [model('gpt-4o-mini'), score(0.8)]), span('s2', [model('gpt-4o-mini'), score(4)])] }] }] };
    const { result, rows } = await landedRows(folder.file('scores.ndjson', JSON.stringify(spans) + '\n'));
    expect(result.rejected).toBe(0);
    expect(rows.map((r) => [r.call_id, r.quality])).toEqual([
      ['t:s1', 0.8],
      ['t:s2', null],
    ]);
  });

  it('takes a span attribute over a resource attribute of the same name, in the configured order', async () => {
    const spans = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'feature', value: { stringValue: 'from_resource' } }] },
          scopeSpans: [
            {
              spans: [
                span('s1', [model('gpt-4o-mini'), { key: 'app.feature', value: { stringValue: 'from_span' } }]),
                span('s2', [model('gpt-4o-mini')]),
              ],
            },
          ],
        },
      ],
    };
    const { rows } = await landedRows(folder.file('owners.ndjson', JSON.stringify(spans) + '\n'));
    expect(rows.map((r) => [r.call_id, r.feature])).toEqual([
      ['t:s1', 'from_span'],
      ['t:s2', 'from_resource'],
    ]);
  });

  it('leaves no trace in llm_calls of the PII a sample carries in attributes it does not map', async () => {
    for (const file of ['otel-otlp.ndjson', 'otel-flat.ndjson', 'litellm.ndjson', 'litellm.csv']) {
      const { rows } = await landedRows(fixture(file));
      const stored = JSON.stringify(rows);
      expect(readFileSync(fixture(file), 'utf8')).toContain('jane.doe@example.com');
      for (const pii of ['jane.doe@example.com', '4111 1111 1111 1111', '203.0.113.7']) expect(stored).not.toContain(pii);
    }
  });
});

describe('quarantining foreign records', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  it('quarantines a span with a missing model or negative tokens with its file line, the fix, and the span alone', async () => {
    const good = span('good', [model('gpt-4o-mini')]);
    const noModel = span('no_model', []);
    const negative = span('negative', [model('gpt-4o-mini')], { 'gen_ai.usage.input_tokens': '-5' });
    const text = ndjson([otlp([good, noModel]), otlp([negative])]);
    const result = await loadFile(engine, 'calls', folder.file('bad-spans.ndjson', text), { shapeAttributes });
    expect(result).toMatchObject({ shape: 'otel', rows_read: 3, loaded: 1, rejected: 2 });
    expect(result.rejections).toEqual([
      { line: 1, field: 'model', reason: expect.stringMatching(/is missing: give the model id/) },
      { line: 2, field: 'input_tokens', reason: '"-5" is not a whole number >= 0' },
    ]);
    const [kept] = await engine.exec(`select record from quarantine where field = 'model'`);
    expect(JSON.parse(String(kept!.record))).toEqual(otlp([noModel]));
  });

  it('quarantines a LiteLLM row without a model, and a line of another shape, each with its line', async () => {
    const row = JSON.parse(readFileSync(fixture('litellm.ndjson'), 'utf8').split('\n')[0]!);
    const text = ndjson([row, { ...row, request_id: 'r2', model: '' }, { ts: '2026-03-02T10:00:00Z', call_id: 'n1' }]);
    const result = await loadFile(engine, 'calls', folder.file('bad-litellm.ndjson', text), { shape: 'litellm' });
    expect(result.rejections).toEqual([
      { line: 2, field: 'model', reason: expect.stringMatching(/is missing/) },
      { line: 3, field: 'record', reason: expect.stringMatching(/is not a LiteLLM spend-log row/) },
    ]);
  });

  it('quarantines foreign records of the wrong structure instead of failing the load', async () => {
    const spans = ndjson([{ resourceSpans: 5 }, { 'gen_ai.request.model': 'gpt-4o', status: 'weird', spanId: 's', startTimeUnixNano: 'soon' }]);
    const otel = await loadFile(engine, 'calls', folder.file('odd-spans.ndjson', spans));
    expect(otel.rejections).toEqual([
      { line: 1, field: 'record', reason: expect.stringMatching(/is not an OTLP export request: resourceSpans must be a list/) },
      { line: 2, field: 'ts', reason: '"soon" is not a timestamp: use ISO 8601, e.g. 2026-11-01T12:34:56Z' },
    ]);
    const rows = ndjson([{ request_id: 'a', startTime: '2026-03-02T10:00:00Z', model: 'gpt-4o', metadata: 'not json', request_tags: 'x', prompt_tokens: 'many', completion_tokens: 1 }]);
    const litellm = await loadFile(engine, 'calls', folder.file('odd-litellm.ndjson', rows));
    expect(litellm.rejections).toEqual([{ line: 1, field: 'input_tokens', reason: '"many" is not a whole number >= 0' }]);
  });

  it('refuses a file whose first records mix shapes, naming the line that differs', async () => {
    const text = readFileSync(fixture('otel-flat.ndjson'), 'utf8') + readFileSync(fixture('litellm.ndjson'), 'utf8');
    const path = folder.file('mixed.ndjson', text);
    await expect(loadFile(engine, 'calls', path)).rejects.toThrow(InputError);
    await expect(loadFile(engine, 'calls', path)).rejects.toThrow(
      /line 4 is a LiteLLM spend-log row but line 1 is an OpenTelemetry GenAI span: .* split it by shape/,
    );
  });

  it('refuses a shape given for a file that holds another, with the shape to use', async () => {
    await expect(loadFile(engine, 'calls', fixture('otel-otlp.ndjson'), { shape: 'litellm' })).rejects.toThrow(
      /line 1 is an OpenTelemetry GenAI span, not a LiteLLM spend-log row: use --shape otel/,
    );
    expect(await engine.exec('select count(*) as n from llm_calls')).toEqual([{ n: 0 }]);
  });
});

function span(id: string, attributes: object[], usage: Record<string, string> = {}) {
  const tokens = { 'gen_ai.usage.input_tokens': '10', 'gen_ai.usage.output_tokens': '5', ...usage };
  return {
    traceId: 't',
    spanId: id,
    startTimeUnixNano: '1772445600000000000',
    endTimeUnixNano: '1772445600100000000',
    attributes: [
      ...attributes,
      ...Object.entries(tokens).map(([key, value]) => ({ key, value: { intValue: value } })),
    ],
  };
}

function model(name: string) {
  return { key: 'gen_ai.request.model', value: { stringValue: name } };
}

function otlp(spans: object[]) {
  return { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] };
}
