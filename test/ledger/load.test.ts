import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { InputError } from '../../functions/errors.js';
import { loadFile } from '../../functions/ledger/load.js';
import { ndjson, tempFolder } from '../support/tmp.js';

const folder = tempFolder();
afterAll(() => folder.remove());

const call = (overrides: Record<string, unknown> = {}) => ({
  ts: '2026-03-02T10:00:00Z',
  call_id: 'c1',
  feature: 'support_bot',
  segment: 'pro',
  provider: 'openai',
  model: 'gpt-4o-mini',
  input_tokens: 1000,
  cached_input_tokens: 200,
  output_tokens: 500,
  ...overrides,
});

describe('loading call records', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  it('prices a call from the catalog exactly, cached reads at the cached rate', async () => {
    // gpt-4o-mini: $0.15 input, $0.075 cached read, $0.60 output per million tokens
    // (800 x 0.15 + 200 x 0.075 + 500 x 0.60) / 1e6 = 0.000435
    const result = await loadFile(engine, 'calls', folder.file('priced.ndjson', ndjson([call()])));
    expect(result).toMatchObject({ rows_read: 1, loaded: 1, rejected: 0, duplicates: 0, unpriced: 0 });
    expect(await engine.exec('select cost_usd, cost_source, request_id, attempt, status from llm_calls')).toEqual([
      { cost_usd: '0.000435000', cost_source: 'catalog', request_id: 'c1', attempt: 1, status: 'ok' },
    ]);
  });

  it('keeps a given cost to the last digit instead of pricing the call', async () => {
    const text = '{"ts":"2026-03-02T10:00:00Z","call_id":"c1","model":"gpt-4o-mini","input_tokens":1,"output_tokens":1,"cost_usd":0.123456789}\n';
    await loadFile(engine, 'calls', folder.file('given.ndjson', text));
    expect(await engine.exec('select cost_usd, cost_source from llm_calls')).toEqual([
      { cost_usd: '0.123456789', cost_source: 'given' },
    ]);
  });

  it('never prices a model no catalog knows as zero: its calls land unpriced and are reported by model', async () => {
    const result = await loadFile(
      engine,
      'calls',
      folder.file('unknown.ndjson', ndjson([call({ provider: 'acme', model: 'acme-llm-9000' }), call({ call_id: 'c2' })])),
    );
    expect(result.unpriced).toBe(1);
    expect(result.unpriced_models).toEqual([{ provider: 'acme', model: 'acme-llm-9000', calls: 1 }]);
    expect(await engine.exec(`select cost_usd, cost_source from llm_calls where model = 'acme-llm-9000'`)).toEqual([
      { cost_usd: null, cost_source: 'unpriced' },
    ]);
  });

  it('reads a timestamp with an offset as the UTC instant it names', async () => {
    await loadFile(engine, 'calls', folder.file('offset.ndjson', ndjson([call({ ts: '2026-03-02T01:30:00+02:00' })])));
    expect(await engine.exec('select cast(ts as date) as day, ts from llm_calls')).toEqual([
      { day: '2026-03-01', ts: '2026-03-01T23:30:00.000Z' },
    ]);
  });

  it('quarantines counts of 2^63 and more, with the bound and the fix, instead of failing the load', async () => {
    const text = [
      '{"ts":"2026-03-02T10:00:00Z","call_id":"c1","model":"gpt-4o-mini","input_tokens":1,"output_tokens":1,"latency_ms":1e19}',
      '{"ts":"2026-03-02T10:00:00Z","call_id":"c2","model":"gpt-4o-mini","input_tokens":1,"output_tokens":1,"attempt":18446744073709551616}',
      '{"ts":"2026-03-02T10:00:00Z","call_id":"c3","model":"gpt-4o-mini","input_tokens":2e19,"output_tokens":1,"cached_input_tokens":1e19}',
      '{"ts":"2026-03-02T10:00:00Z","call_id":"c4","model":"gpt-4o-mini","input_tokens":100,"output_tokens":1,"cached_input_tokens":1e19}',
      '{"ts":"2026-03-02T10:00:00Z","call_id":"c5","model":"gpt-4o-mini","input_tokens":1,"output_tokens":1}',
    ].join('\n');
    const result = await loadFile(engine, 'calls', folder.file('huge.ndjson', text));

    expect(result).toMatchObject({ loaded: 1, rejected: 4 });
    expect(result.rejections.map((r) => [r.line, r.field, r.reason.split(':')[0]])).toEqual([
      [1, 'latency_ms', '"1e+19" is longer than a week (at most 604800000 ms)'],
      [2, 'attempt', '"18446744073709551616" is more tries than any retry policy makes (at most 1000)'],
      [3, 'input_tokens', '"2e+19" is more tokens than any call takes (at most 100000000000)'],
      [4, 'cached_input_tokens', '"1e+19" is more tokens than any call takes (at most 100000000000)'],
    ]);
  });

  it('loads the same file twice without doubling the spend', async () => {
    const path = folder.file('twice.ndjson', ndjson([call(), call({ call_id: 'c2' })]));
    await loadFile(engine, 'calls', path);
    const again = await loadFile(engine, 'calls', path);
    expect(again).toMatchObject({ rows_read: 2, loaded: 0, duplicates: 2 });
    expect(await engine.exec('select count(*) as n, sum(cost_usd) as spend from llm_calls')).toEqual([
      { n: 2, spend: '0.000870000' },
    ]);
  });

  it('records each load with what it read, landed, skipped and rejected', async () => {
    const path = folder.file('audit.ndjson', ndjson([call(), call({ call_id: 'c2', input_tokens: -1 })]));
    await loadFile(engine, 'calls', path);
    await loadFile(engine, 'calls', path);
    expect(await engine.exec('select source, rows_read, rows_loaded, duplicates, rejected, first_day from loads order by loaded_at, rows_loaded desc')).toEqual([
      { source: 'audit.ndjson', rows_read: 2, rows_loaded: 1, duplicates: 0, rejected: 1, first_day: '2026-03-02' },
      { source: 'audit.ndjson', rows_read: 2, rows_loaded: 0, duplicates: 1, rejected: 1, first_day: '2026-03-02' },
    ]);
  });

  it('lands a call_id repeated within one file once, from its first line', async () => {
    const result = await loadFile(
      engine,
      'calls',
      folder.file('repeat.ndjson', ndjson([call({ output_tokens: 1 }), call({ output_tokens: 2 })])),
    );
    expect(result).toMatchObject({ loaded: 1, duplicates: 1 });
    expect(await engine.exec('select output_tokens from llm_calls')).toEqual([{ output_tokens: 1 }]);
  });

  const badRecords: { name: string; line: string; field: string; reason: RegExp }[] = [
    { name: 'a line that is not JSON', line: '{"ts": oops', field: 'record', reason: /not valid JSON/ },
    { name: 'a JSON array instead of an object', line: '[1, 2]', field: 'record', reason: /not a JSON object/ },
    { name: 'an unknown field', line: JSON.stringify(call({ tokens: 5 })), field: 'tokens', reason: /not a field of a call record/ },
    { name: 'a missing timestamp', line: JSON.stringify(call({ ts: undefined })), field: 'ts', reason: /missing/ },
    { name: 'a timestamp that is not one', line: JSON.stringify(call({ ts: 'yesterday' })), field: 'ts', reason: /"yesterday" is not a timestamp/ },
    { name: 'a missing call_id', line: JSON.stringify(call({ call_id: '' })), field: 'call_id', reason: /missing/ },
    { name: 'a missing model', line: JSON.stringify(call({ model: undefined })), field: 'model', reason: /missing/ },
    { name: 'negative input tokens', line: JSON.stringify(call({ input_tokens: -5 })), field: 'input_tokens', reason: /"-5" is not a whole number >= 0/ },
    { name: 'fractional output tokens', line: JSON.stringify(call({ output_tokens: 2.5 })), field: 'output_tokens', reason: /whole number/ },
    { name: 'tokens as words', line: JSON.stringify(call({ output_tokens: 'many' })), field: 'output_tokens', reason: /"many"/ },
    { name: 'more cached tokens than input tokens', line: JSON.stringify(call({ cached_input_tokens: 2000 })), field: 'cached_input_tokens', reason: /exceed input_tokens/ },
    { name: 'attempt zero', line: JSON.stringify(call({ attempt: 0 })), field: 'attempt', reason: />= 1/ },
    { name: 'an unknown status', line: JSON.stringify(call({ status: 'meh' })), field: 'status', reason: /ok, error, timeout or rate_limited/ },
    { name: 'a quality above 1', line: JSON.stringify(call({ quality: 1.5 })), field: 'quality', reason: /score in \[0, 1\]/ },
    { name: 'a negative cost', line: JSON.stringify(call({ cost_usd: -1 })), field: 'cost_usd', reason: /"-1" is not an amount in USD from 0/ },
    { name: 'more tokens than any call takes', line: JSON.stringify(call({ output_tokens: 2e15 })), field: 'output_tokens', reason: /^"2000000000000000" is more tokens than any call takes \(at most 100000000000\)/ },
    { name: 'a cost above what a record holds', line: JSON.stringify(call({ cost_usd: '1500000000.00' })), field: 'cost_usd', reason: /"1500000000.00" is not an amount in USD from 0 to 999999999.999999999/ },
  ];

  it.each(badRecords)('quarantines $name with its line, field and reason', async ({ line, field, reason }) => {
    const good = JSON.stringify(call({ call_id: 'good' }));
    const result = await loadFile(engine, 'calls', folder.file('bad.ndjson', `${good}\n\n${line}\n`));
    expect(result).toMatchObject({ rows_read: 2, loaded: 1, rejected: 1 });
    expect(result.rejections).toEqual([{ line: 3, field, reason: expect.stringMatching(reason) }]);
    const [kept] = await engine.exec('select line, field, reason, record, source, record_kind from quarantine');
    expect(kept).toMatchObject({ line: 3, field, record: line, source: 'bad.ndjson', record_kind: 'calls' });
  });

  it('names the right line deep in a large file', async () => {
    const records = Array.from({ length: 200_000 }, (_, i) => JSON.stringify(call({ call_id: `c${i}` })));
    records[150_000] = JSON.stringify(call({ call_id: 'bad', input_tokens: -1 }));
    const result = await loadFile(engine, 'calls', folder.file('large.ndjson', records.join('\n')));
    expect(result.rejections).toEqual([{ line: 150_001, field: 'input_tokens', reason: expect.any(String) }]);
    expect(result.loaded).toBe(199_999);
  });

  it('reads CSV, counting its header as line 1', async () => {
    const csv = 'ts,call_id,model,input_tokens,output_tokens\n2026-03-02T10:00:00Z,c1,gpt-4o-mini,10,5\n2026-03-02T10:00:00Z,c2,gpt-4o-mini,x,5\n';
    const result = await loadFile(engine, 'calls', folder.file('calls.csv', csv));
    expect(result).toMatchObject({ loaded: 1, rejected: 1 });
    expect(result.rejections[0]).toMatchObject({ line: 3, field: 'input_tokens' });
  });

  it('refuses a CSV with a column that is not a field, naming it', async () => {
    const csv = 'ts,call_id,model,input_tokens,output_tokens,tokenz\n';
    await expect(loadFile(engine, 'calls', folder.file('typo.csv', csv))).rejects.toThrow(InputError);
    await expect(loadFile(engine, 'calls', folder.file('typo.csv', csv))).rejects.toThrow(/"tokenz" is not a field/);
  });

  it('reads Parquet with its typed columns', async () => {
    const path = `${folder.dir}/calls.parquet`;
    await engine.exec(
      `copy (select timestamp '2026-03-02 10:00:00' as ts, 'p1' as call_id, 'gpt-4o-mini' as model,
        1000000 as input_tokens, 0 as output_tokens) to '${path}' (format parquet)`,
    );
    const result = await loadFile(engine, 'calls', path);
    expect(result).toMatchObject({ loaded: 1, rejected: 0 });
    expect(await engine.exec('select cost_usd from llm_calls')).toEqual([{ cost_usd: '0.150000000' }]);
  });

  it('marks the days it touched for the next rollup', async () => {
    await loadFile(engine, 'calls', folder.file('days.ndjson', ndjson([call(), call({ call_id: 'c2', ts: '2026-03-05T00:00:00Z' })])));
    expect(await engine.exec('select table_name, day from pending_days order by day')).toEqual([
      { table_name: 'llm_calls', day: '2026-03-02' },
      { table_name: 'llm_calls', day: '2026-03-05' },
    ]);
  });
});

describe('loading outcome records', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  it('lands outcomes once, succeeded by default, with exact values', async () => {
    const path = folder.file(
      'outcomes.ndjson',
      ndjson([
        { ts: '2026-03-02T10:00:00Z', outcome_id: 'o1', feature: 'support_bot', value_usd: '6.50' },
        { ts: '2026-03-02T11:00:00Z', outcome_id: 'o2', feature: 'support_bot', succeeded: false },
        { ts: '2026-03-02T11:00:00Z', outcome_id: 'o3', succeeded: 'maybe' },
      ]),
    );
    const result = await loadFile(engine, 'outcomes', path);
    expect(result).toMatchObject({ loaded: 2, rejected: 1, rejections: [{ line: 3, field: 'succeeded' }] });
    await loadFile(engine, 'outcomes', path);
    expect(await engine.exec('select outcome_id, succeeded, value_usd from outcomes order by outcome_id')).toEqual([
      { outcome_id: 'o1', succeeded: true, value_usd: '6.500000000' },
      { outcome_id: 'o2', succeeded: false, value_usd: null },
    ]);
  });
});
