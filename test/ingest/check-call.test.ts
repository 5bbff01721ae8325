import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Row } from '../../functions/engine/engine.js';
import { checkCall, type CheckedCall } from '../../functions/ingest/check-call.js';
import { validateBatch } from '../../functions/ingest/validate-batch.js';
import { loadFile } from '../../functions/ledger/load.js';
import { ndjson, tempFolder } from '../support/tmp.js';
import { call, ingestFunction, type IngestFunction } from './support/ingest-function.js';

/**
 * One corpus of good and bad native records, through `ai-finops load` (loadFile, the SQL generated from
 * functions/ledger/call-rules.ts) and through the TypeScript check of ingest batches (check-call.ts), record by
 * record: the same field and reason for each bad one, the same typed call for each good one.
 */
const long = 'x'.repeat(50);
const corpus: Record<string, unknown>[] = [
  call({ call_id: 'g-plain' }),
  call({ call_id: 'g-offset', ts: '2026-11-03T23:59:59.123456+02:00' }),
  call({ call_id: 'g-space-sep', ts: '2026-11-03 08:00:00' }),
  call({ call_id: 'g-negative-offset', ts: '2026-11-03T20:30:00.5-05:30' }),
  call({ call_id: ' g-trimmed ', feature: '  spaced  ', segment: '\tkept tab', request_id: '  ' }),
  call({ call_id: 'g-request', request_id: 'r-9', attempt: 2 }),
  call({ call_id: 'g-text-numbers', input_tokens: '1200', output_tokens: ' 30 ', cached_input_tokens: '0', attempt: '3' }),
  call({ call_id: 'g-number-texts', feature: 42, customer_id: 1234567 }),
  call({ call_id: 'g-status', status: ' Rate_Limited ' }),
  call({ call_id: 'g-latency', latency_ms: 12.5, quality: 0.75 }),
  call({ call_id: 'g-latency-text', latency_ms: '7.49', quality: '1' }),
  call({ call_id: 'g-exponent', quality: 1e-7 }),
  call({ call_id: 'g-cost', cost_usd: '0.0123' }),
  call({ call_id: 'g-cost-number', cost_usd: 0.5 }),
  call({ call_id: 'g-cost-zero', cost_usd: '-0' }),
  call({ call_id: 'g-cache-write', cached_input_tokens: 300, cache_write_input_tokens: 700 }),
  call({ call_id: 'g-nulls', feature: null, segment: null, latency_ms: null, cached_input_tokens: null, status: null }),
  { ts: '2026-11-02T10:00:00Z', call_id: 'g-minimal', model: 'gpt-4o', input_tokens: 1, output_tokens: 0 },
  call({ call_id: 'b-colour', colour: 'blue', shade: 'dark' }),
  call({ call_id: 'b-no-ts', ts: undefined }),
  call({ call_id: 'b-null-ts', ts: null }),
  call({ call_id: undefined }),
  call({ call_id: '   ' }),
  call({ call_id: 'b-no-model', model: '' }),
  call({ call_id: 'b-attempt-0', attempt: 0 }),
  call({ call_id: 'b-attempt-half', attempt: 1.5 }),
  call({ call_id: 'b-attempt-text', attempt: '-2' }),
  call({ call_id: 'b-no-input', input_tokens: undefined }),
  call({ call_id: 'b-negative-input', input_tokens: -1 }),
  call({ call_id: 'b-fraction-input', input_tokens: 2.5 }),
  call({ call_id: 'b-no-output', output_tokens: null }),
  call({ call_id: 'b-negative-output', output_tokens: '-3' }),
  call({ call_id: 'b-cached', cached_input_tokens: -4 }),
  call({ call_id: 'b-cache-write', cache_write_input_tokens: 0.25 }),
  call({ call_id: 'b-cached-over', cached_input_tokens: 1001 }),
  call({ call_id: 'b-both-over', cached_input_tokens: 600, cache_write_input_tokens: 600 }),
  call({ call_id: 'b-latency', latency_ms: -0.5 }),
  call({ call_id: 'b-status', status: 'Done' }),
  call({ call_id: 'b-status-long', status: long }),
  call({ call_id: 'b-quality-high', quality: 1.5 }),
  call({ call_id: 'b-quality-low', quality: '-0.1' }),
  call({ call_id: 'b-cost', cost_usd: '-0.01' }),
  call({ call_id: 'b-cost-number', cost_usd: -2.25 }),
  call({ call_id: 'b-input-too-many', input_tokens: 200_000_000_000, cached_input_tokens: 0 }),
  call({ call_id: 'b-output-too-many', output_tokens: '2000000000000000' }),
  call({ call_id: 'b-output-at-most', output_tokens: 100_000_000_000 }),
  call({ call_id: 'b-first-rule-wins', model: undefined, input_tokens: -1, status: 'nope' }),
  // text_field trims ASCII spaces only: a Unicode space (U+2003, U+00A0, U+3000, U+202F, U+1680) is part of the id
  call({ call_id: '\u2003g-unicode-space ', feature: '\u00a0kept\u3000', segment: ' \u202fseg\u1680 ', prompt_id: '\u2003' }),
  call({ call_id: 'g-small-fraction', quality: 0.00005, latency_ms: 0.00002 }),
  call({ call_id: 'g-small-text', feature: 0.0001, cost_usd: 0.00012 }),
  call({ call_id: 'b-attempt-many', attempt: 1001 }),
  call({ call_id: 'b-attempt-huge', attempt: '1e19' }),
  call({ call_id: 'b-latency-week', latency_ms: 604_800_001 }),
  call({ call_id: 'b-latency-huge', latency_ms: '1e19' }),
  call({ call_id: 'b-cached-huge', cached_input_tokens: '2e19' }),
  call({ call_id: 'b-cache-write-too-many', cache_write_input_tokens: 100_000_000_001 }),
];

/** Values whose reading the TypeScript check leaves to DuckDB. */
const undecidedCorpus: Record<string, unknown>[] = [
  call({ call_id: 'u-date-only', ts: '2026-11-02' }),
  call({ call_id: 'u-not-a-ts', ts: 'yesterday' }),
  call({ call_id: 'u-february-30', ts: '2026-02-30T00:00:00Z' }),
  call({ call_id: 'u-words', input_tokens: 'many' }),
  call({ call_id: 'u-object', feature: { name: 'x' } }),
  call({ call_id: 'u-boolean', attempt: true }),
  call({ call_id: 'u-cost-places', cost_usd: '0.0000000005' }),
  call({ call_id: 'u-exponent', quality: 1e21 }),
  { ...call({ call_id: 'u-index-key' }), 7: 'x' },
  // DuckDB writes a fraction below 1e-4 with an exponent (`1e-05`), JavaScript does not
  call({ call_id: 'u-small-text', feature: 0.00001 }),
  call({ call_id: 'u-small-amount', cost_usd: 0.00001 }),
  call({ call_id: 'u-small-quoted', attempt: 0.00005 }),
  // an unpaired surrogate: not valid JSON to DuckDB
  call({ call_id: 'u-surrogate', feature: '\ud800' }),
  call({ call_id: 'u-surrogate-id-\udc00' }),
  { ...call({ call_id: 'u-surrogate-key' }), '\ud83d': 1 },
  // counts of 2^63 and more: quarantined, not a failed load
  call({ call_id: 'u-latency-huge', latency_ms: 1e19 }),
  call({ call_id: 'u-attempt-huge', attempt: 2 ** 64 }),
  call({ call_id: 'u-cached-huge', cached_input_tokens: 1e19, input_tokens: 2e19 }),
];

interface Outcome {
  problem?: { field: string; reason: string };
  call?: Partial<CheckedCall>;
}

/** What `ai-finops load` makes of each record of `records`, by its index. */
async function loaderOutcomes(records: Record<string, unknown>[]): Promise<Outcome[]> {
  const folder = tempFolder();
  const engine = await DuckDBEngine.open();
  try {
    await engine.ensureTables();
    await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson(records)));
    const rejected = await engine.exec(`select line - 1 as line, field, reason from quarantine`);
    const calls = await engine.exec(`select * from llm_calls`);
    return records.map((_, index) => {
      const rejection = rejected.find((r) => Number(r.line) === index);
      if (rejection) return { problem: { field: String(rejection.field), reason: String(rejection.reason) } };
      const id = trimSpaces(String(records[index]!.call_id));
      return { call: callFields(calls.find((c) => c.call_id === id)!) };
    });
  } finally {
    await engine.close();
    folder.remove();
  }
}

/** A call_id as the ledger holds it: without the ASCII spaces around it (and no other). */
const trimSpaces = (id: string) => id.replace(/^ +| +$/g, '');

const checkedFields = Object.keys(checkedCall(call()));

function checkedCall(record: Record<string, unknown>): CheckedCall {
  const verdict = checkCall(record);
  if (verdict === 'undecided' || !verdict.call) throw new Error(`not a valid call: ${JSON.stringify(verdict)}`);
  return verdict.call;
}

/** A landed call as the check gives it: its cost only when the record gave one (pricing is call-cost.test.ts's). */
function callFields(row: Row): Partial<CheckedCall> {
  const fields = Object.fromEntries(checkedFields.map((field) => [field, row[field]]));
  return { ...fields, cost_usd: row.cost_source === 'given' ? String(row.cost_usd) : null };
}

describe('checking an ingest record in TypeScript', () => {
  let expected: Outcome[];
  beforeAll(async () => {
    expected = await loaderOutcomes(corpus);
  });

  it('decides every record of the corpus without the SQL', () => {
    expect(corpus.map((record) => checkCall(record)).filter((verdict) => verdict === 'undecided')).toEqual([]);
  });

  it('gives each bad record the field and reason ai-finops load gives it, and each good one the same call', () => {
    const outcomes = corpus.map((record): Outcome => {
      const verdict = checkCall(record);
      if (verdict === 'undecided') return {};
      return verdict.problem ? { problem: verdict.problem } : { call: verdict.call };
    });

    expect(outcomes.filter((o) => o.problem).length).toBeGreaterThan(20);
    expect(outcomes).toEqual(expected);
  });

  it('leaves to the loader SQL the values it cannot read as DuckDB would, and the batch then matches the loader', async () => {
    expect(undecidedCorpus.map((record) => checkCall(record))).toEqual(undecidedCorpus.map(() => 'undecided'));

    const records = [...corpus.slice(0, 3), ...undecidedCorpus];
    const load = { load_id: 'check_call', loaded_at: '2026-11-05T12:00:00.000Z', source: 'ingest' };
    const lines = records.map((record, index) => ({ index, line: JSON.stringify(record), keys: Object.keys(record), callId: record.call_id, value: record }));
    const batch = await validateBatch(lines, load, { negotiated: [] });
    const outcomes: Outcome[] = records.map((record, index) => {
      const rejection = batch.rejections.find((r) => r.line === index);
      if (rejection) return { problem: { field: String(rejection.field), reason: String(rejection.reason) } };
      return { call: callFields(batch.calls.find((c) => c.call_id === trimSpaces(String(record.call_id)))!) };
    });

    expect(outcomes).toEqual(await loaderOutcomes(records));
  });
});

describe('the ingest function and ai-finops load on the same records', () => {
  let ingest: IngestFunction;
  beforeAll(async () => {
    ingest = await ingestFunction();
  });
  afterAll(() => ingest.remove());

  it('reject the same records with the same field and reason', async () => {
    const { status, body } = await ingest.post(JSON.stringify(corpus));
    const expected = (await loaderOutcomes(corpus))
      .map((outcome, index) => ({ index, ...outcome.problem! }))
      .filter((rejection) => rejection.field !== undefined);

    expect(status).toBe(200);
    expect(body.rejected).toEqual(expected);
    expect(body.accepted).toBe(corpus.length - expected.length);
  });
});
