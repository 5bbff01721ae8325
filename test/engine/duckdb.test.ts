import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { EngineError } from '../../functions/errors.js';

describe('the DuckDB engine', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  it('creates every table from sql/schema and can do so twice', async () => {
    await engine.ensureTables();
    const rows = await engine.query(`select count(*) as n from information_schema.tables where table_name = 'llm_calls'`);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('returns money as exact decimal strings, integers as numbers, dates and timestamps as ISO strings', async () => {
    const rows = await engine.query(
      `select {{ money(@cost) }} as cost_usd, cast(@n as bigint) as n, cast(@d as date) as day, cast(@ts as timestamp) as ts`,
      { cost: '0.1', n: 42, d: '2026-03-01', ts: '2026-03-01T12:00:00Z' },
    );
    expect(rows).toEqual([{ cost_usd: '0.100000000', n: 42, day: '2026-03-01', ts: '2026-03-01T12:00:00.000Z' }]);
  });

  it('adds ten cents ten times to exactly one dollar', async () => {
    await engine.insertRows(
      'outcomes',
      Array.from({ length: 10 }, (_, i) => ({
        ts: '2026-03-01T00:00:00Z', outcome_id: `o${i}`, feature: 'f', segment: null, succeeded: true,
        value_usd: '0.1', load_id: 'l', loaded_at: '2026-03-01T00:00:00Z',
      })),
    );
    expect(await engine.query('select sum(value_usd) as total from outcomes')).toEqual([{ total: '1.000000000' }]);
  });

  it('refuses a timestamp that is not text with an EngineError saying what it takes, and lands none of the rows', async () => {
    const row = (ts: string | number) => ({ table_name: 'llm_calls', day: '2026-03-01', load_id: 'l', loaded_at: ts });
    const insert = engine.insertRows('pending_days', [row('2026-03-01T00:00:00.000Z'), row(1772323200000)]);

    await expect(insert).rejects.toThrow(EngineError);
    await expect(insert).rejects.toThrow(/pending_days: a TIMESTAMP takes ISO 8601 text.*not a number/);
    expect(await engine.exec('select count(*) as n from pending_days')).toEqual([{ n: 0 }]);
  });

  it('answers an insert into a table that is not there with an EngineError', async () => {
    await engine.exec('drop table pending_days');
    await expect(engine.insertRows('pending_days', [{ table_name: 'llm_calls', day: '2026-03-01', load_id: 'l', loaded_at: '2026-03-01T00:00:00.000Z' }])).rejects.toThrow(EngineError);
  });

  it('binds a list of strings as a parameter', async () => {
    const rows = await engine.query(`select {{ in_list('b', @names) }} as found`, { names: ['a', 'b'] });
    expect(rows).toEqual([{ found: true }]);
  });

  it('replaces a date range atomically: a failing select leaves the old rows', async () => {
    const insert = `select cast(@day as date) as day, 'f' as feature, 'calls' as unit, 1 as spend_usd, 0 as retry_spend_usd,
      0 as unattributed_spend_usd, 1 as calls, 1 as requests, 1 as ok_requests, 1 as outcomes, 0 as outcome_value_usd,
      1 as cost_per_outcome_usd, 0 as input_tokens, 0 as cached_input_tokens, 0 as output_tokens, null as cache_hit_rate,
      0 as unpriced_calls`;
    await engine.replaceRange('cost_per_outcome_by_day', { from: '2026-03-01', to: '2026-03-02' }, insert, { day: '2026-03-01' });
    await expect(
      engine.replaceRange('cost_per_outcome_by_day', { from: '2026-03-01', to: '2026-03-02' }, 'select error(\'boom\')'),
    ).rejects.toThrow(/boom/);
    expect(await engine.query('select day, spend_usd from cost_per_outcome_by_day')).toEqual([
      { day: '2026-03-01', spend_usd: '1.000000000' },
    ]);
  });
});
