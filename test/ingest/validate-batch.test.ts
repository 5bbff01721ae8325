import { describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Row } from '../../functions/engine/engine.js';
import { validateBatch, type BatchLine } from '../../functions/ingest/validate-batch.js';
import { loadFile } from '../../functions/ledger/load.js';
import type { PricePeriod } from '../../functions/pricing/price-period.js';
import { ndjson, tempFolder } from '../support/tmp.js';
import { call } from './support/ingest-function.js';

const load = { load_id: 'ingest_test', loaded_at: '2026-11-05T12:00:00.000Z', source: 'ingest' };

/** Records as the ingest function hands them over: one NDJSON line each, with its keys, call_id and parsed value. */
function batch(records: Record<string, unknown>[]): BatchLine[] {
  return records.map((record, index) => ({ index, line: JSON.stringify(record), keys: Object.keys(record), callId: record.call_id, value: record }));
}

/** What `ai-finops load` lands from the same records: the calls, and the rejections by 0-based record index. */
async function loaded(records: Record<string, unknown>[], negotiated: PricePeriod[] = []): Promise<{ calls: Row[]; rejections: Row[] }> {
  const folder = tempFolder();
  const engine = await DuckDBEngine.open();
  try {
    await engine.ensureTables();
    await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson(records)), { negotiated });
    return {
      calls: await engine.exec(`select * exclude (load_id, loaded_at) from llm_calls order by call_id`),
      rejections: await engine.exec(`select line - 1 as line, field, reason from quarantine order by line`),
    };
  } finally {
    await engine.close();
    folder.remove();
  }
}

/** The batch's calls without the load's columns, by call_id; its rejections as (line, field, reason). */
async function validated(records: Record<string, unknown>[], negotiated: PricePeriod[] = []): Promise<{ calls: Row[]; rejections: Row[] }> {
  const result = await validateBatch(batch(records), load, { negotiated });
  return {
    calls: result.calls
      .map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !['load_id', 'loaded_at'].includes(column))))
      .sort((a, b) => String(a.call_id).localeCompare(String(b.call_id))),
    rejections: result.rejections.map((row) => ({ line: row.line, field: row.field, reason: row.reason })),
  };
}

/** A call row as the ledger holds it: only llm_calls' columns. */
function ledgerColumns(rows: Row[], like: Row[]): Row[] {
  const columns = Object.keys(like[0] ?? {});
  return rows.map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null])));
}

const negotiatedMini: PricePeriod = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  effective_from: null,
  effective_to: null,
  input_usd_per_mtok: '1',
  cached_input_usd_per_mtok: '0.5',
  cache_write_input_usd_per_mtok: '1',
  output_usd_per_mtok: '2',
  source: 'negotiated',
  catalog_model_id: null,
};

describe('validating an ingest batch', () => {
  it('gives the calls and the rejections the file loader lands for the same records', async () => {
    const records = [
      call({ call_id: 'a1' }),
      call({ call_id: 'a2', ts: '2026-11-03T23:59:59+02:00', model: 'gpt-4o', cost_usd: '0.0123' }),
      call({ call_id: 'a3', input_tokens: -1 }),
      call({ call_id: 'a4', provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', cached_input_tokens: 0 }),
      call({ call_id: 'a5', model: 'a-model-no-catalog-knows' }),
      call({ call_id: 'a1', feature: 'a repeat' }),
      { ...call({ call_id: 'a6' }), colour: 'blue' },
    ];
    const ingested = await validated(records);
    const expected = await loaded(records);

    expect(ingested.calls.map((c) => c.call_id)).toEqual(['a1', 'a2', 'a4', 'a5']);
    expect(ledgerColumns(ingested.calls, expected.calls)).toEqual(expected.calls);
    expect(ingested.rejections).toEqual(expected.rejections);
    expect(ingested.rejections.map((r) => r.line)).toEqual([2, 6]);
  });

  it('prices a model and a day that first come in a later batch as the loader does', async () => {
    await validated([call({ call_id: 'b1' })]);
    const later = [call({ call_id: 'b2', ts: '2026-11-20T08:00:00Z', provider: 'anthropic', model: 'claude-3-5-haiku-20241022' })];
    const [ingested] = (await validated(later)).calls;
    const [expected] = (await loaded(later)).calls;

    expect(ingested).toMatchObject({ cost_source: 'catalog', cost_usd: expected!.cost_usd });
  });

  it('prices each batch with the negotiated rates it comes with, not those of the batch before', async () => {
    // (800 x 1 + 200 x 0.5 + 500 x 2) / 1e6 = 0.0019 negotiated; the catalog's is 0.000435 (see ingest-function.test.ts)
    const before = (await validated([call({ call_id: 'n1' })])).calls[0];
    const negotiated = (await validated([call({ call_id: 'n2' })], [negotiatedMini])).calls[0];
    const after = (await validated([call({ call_id: 'n3' })])).calls[0];

    expect(before).toMatchObject({ cost_source: 'catalog', cost_usd: '0.000435000' });
    expect(negotiated).toMatchObject({ cost_source: 'negotiated', cost_usd: '0.001900000' });
    expect(after).toMatchObject({ cost_source: 'catalog', cost_usd: '0.000435000' });
  });

  it('keeps the first of two records whose call_ids differ only by the spaces the loader trims', async () => {
    const { calls } = await validated([call({ call_id: 'r1', feature: 'first' }), call({ call_id: ' r1 ', feature: 'second' })]);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ call_id: 'r1', feature: 'first' });
  });

  it('says which record of the batch is of another shape than the first', async () => {
    const records = [call({ call_id: 's1' }), { request_id: 'x', model: 'gpt-4o-mini', prompt_tokens: 1, completion_tokens: 1, startTime: '2026-11-02T10:00:00Z' }];
    const lines = batch(records).map((line) => ({ ...line, index: line.index + 10 }));

    await expect(validateBatch(lines, load, { negotiated: [] })).rejects.toThrow(/the batch: record 11 /);
  });
});
