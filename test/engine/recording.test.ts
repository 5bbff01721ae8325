import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { RecordingEngine, recordStatements, statementName, type RecordedStatement } from '../../functions/engine/recording.js';
import { sqlFile } from '../../functions/sql/files.js';

describe('the recording engine', () => {
  let duckdb: DuckDBEngine;
  let engine: RecordingEngine;
  let rows: unknown;
  beforeAll(async () => {
    duckdb = await DuckDBEngine.open();
    await duckdb.ensureTables();
    engine = new RecordingEngine(duckdb);
    await engine.insertRows('pending_days', [{ table_name: 'llm_calls', day: '2026-03-01', load_id: 'l1', loaded_at: '2026-03-02T00:00:00Z' }]);
    rows = await engine.query('select count(*) as n from {{ table(pending_days) }} where day < cast(@as_of as date)', { as_of: '2026-03-02' }, { labels: { job: 'rollup' } });
    await engine.replaceRange('calls_by_day', { from: '2026-03-01', to: '2026-03-02' }, sqlFile('rollup/calls_by_day.sql'), { from: '2026-03-01', to: '2026-03-02' }, { labels: { job: 'rollup', feature: 'support_bot' } });
  });
  afterAll(() => engine.close());

  it('runs each statement on the engine it wraps and hands back its rows', () => {
    expect(engine.dialect).toBe('duckdb');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('records each query and range replacement in order, with its template, parameters and labels, and no inserts', () => {
    expect(engine.statements).toEqual([
      { kind: 'query', template: expect.stringContaining('from {{ table(pending_days) }}'), params: { as_of: '2026-03-02' }, labels: { job: 'rollup' } },
      {
        kind: 'replaceRange',
        template: sqlFile('rollup/calls_by_day.sql'),
        params: { from: '2026-03-01', to: '2026-03-02' },
        labels: { job: 'rollup', feature: 'support_bot' },
        table: 'calls_by_day',
        range: { from: '2026-03-01', to: '2026-03-02' },
      },
    ]);
  });

  it('names each statement by its file in sql/, or as inline SQL with its macros unwrapped, cut at 60 characters', () => {
    expect(engine.statements.map(statementName)).toEqual(['inline: select count(*) as n from pending_days where day < cast(@as…', 'rollup/calls_by_day.sql']);
  });
});

describe('recording what a run sends', () => {
  it('runs it over an empty in-memory ledger of its own when given none', async () => {
    const statements = await recordStatements(async (engine) => {
      const [row] = await engine.query('select count(*) as n from {{ table(llm_calls) }}', {}, { labels: { job: 'detect' } });
      expect(row).toEqual({ n: 0 });
    });
    expect(statements.map((s) => s.labels)).toEqual([{ job: 'detect' }]);
  });

  it('leaves a ledger it was given open', async () => {
    const ledger = await DuckDBEngine.open();
    await ledger.ensureTables();
    await recordStatements((engine) => engine.query('select 1 as x'), ledger);
    expect(await ledger.query('select 2 as x')).toEqual([{ x: 2 }]);
    await ledger.close();
  });

  it('names the rows a range is replaced with, when they are not a file, by the table', () => {
    const statement: RecordedStatement = { kind: 'replaceRange', template: 'select 1 as x', params: {}, labels: { job: 'forecast' }, table: 'forecasts' };
    expect(statementName(statement)).toBe('inline: the rows replacing forecasts');
  });
});
