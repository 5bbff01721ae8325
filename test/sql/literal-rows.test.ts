import nodeSqlParser from 'node-sql-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tableNames, tables } from '../../functions/schema/tables.js';
import { render } from '../../functions/sql/dialect.js';
import { castTo, literalRows } from '../../functions/sql/literal-rows.js';
import { testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const bigquery = (sql: string) => render(sql, 'bigquery', (name) => '`proj.ds.' + name + '`');
const parseBigQuery = (sql: string) => new nodeSqlParser.Parser().astify(sql, { database: 'BigQuery' });

/** A value for every column of a table, each as the text the jobs pass: enough to exercise every cast. */
function sampleRow(table: (typeof tableNames)[number]): Record<string, string> {
  const sample = { STRING: 'x', INT64: '3000000000', FLOAT64: '0.5', NUMERIC: '12.345000000', BOOL: 'true', TIMESTAMP: '2026-11-01T08:00:00Z', DATE: '2026-11-01' };
  return Object.fromEntries(tables[table].columns.map((c) => [c.name, sample[c.type]]));
}

describe('rows of a table written as SQL, one cast table for both engines', () => {
  it.each([...tableNames])('renders rows of %s that parse as BigQuery SQL, with and without rows', (table) => {
    expect(() => parseBigQuery(bigquery(literalRows(table, [sampleRow(table), sampleRow(table)]).sql))).not.toThrow();
    expect(() => parseBigQuery(bigquery(literalRows(table, []).sql))).not.toThrow();
  });

  it('spells every type so that BigQuery knows it: int64 and bool, never bigint, integer or boolean', () => {
    expect(castTo('INT64', '@n')).toBe('cast(@n as int64)');
    expect(castTo('BOOL', '@b')).toBe('cast(@b as bool)');
    expect(bigquery(castTo('NUMERIC', '@m'))).toBe('cast(@m as numeric)');
    expect(bigquery(castTo('FLOAT64', '@f'))).toBe('cast(@f as float64)');
  });

  it('names each parameter by row and column and passes values as text, nulls as null', () => {
    const { sql, params } = literalRows('deliveries', [{ key: 'digest:2026-11-16', attempts: 2, slack_ts: undefined, thread_key: null }]);
    expect(sql).toContain('cast(@r0_attempts as int64) as attempts');
    expect(params).toMatchObject({ r0_key: 'digest:2026-11-16', r0_attempts: '2', r0_slack_ts: null, r0_thread_key: null });
  });

  describe('on DuckDB', () => {
    let ledger: Ledger;
    beforeEach(async () => {
      ledger = await testLedger();
    });
    afterEach(() => ledger.close());

    it('keeps a count above 32 bits whole (3,000,000,000 does not fit an integer)', async () => {
      const { sql, params } = literalRows('deliveries', [sampleRow('deliveries')]);
      const [row] = await ledger.engine.query(`select attempts, typeof(attempts) as type from (${sql}) as rows`, params);
      expect(row).toEqual({ attempts: 3_000_000_000, type: 'BIGINT' });
    });

    it('casts every type of every table, booleans and money included', async () => {
      const { sql, params } = literalRows('forecasts', [sampleRow('forecasts')]);
      const [row] = await ledger.engine.query(`select * from (${sql}) as rows`, params);
      const bools = tables.forecasts.columns.filter((c) => c.type === 'BOOL').map((c) => c.name);
      expect(bools.length).toBeGreaterThan(0);
      for (const name of bools) expect(row![name]).toBe(true);
      expect(row!.run_date).toBe('2026-11-01');
    });

    it('returns no rows, with the table’s columns, when there are none', async () => {
      const { sql, params } = literalRows('advice', []);
      expect(await ledger.engine.query(`select count(*) as n from (${sql}) as rows`, params)).toEqual([{ n: 0 }]);
    });
  });
});
