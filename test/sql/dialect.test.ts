import { describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { tables } from '../../functions/schema/tables.js';
import { duckdbCreateTable } from '../../functions/sql/dialect.js';

describe('the DuckDB table derived from a schema', () => {
  it("keeps a record's own amount in 64 bits, DECIMAL(18, 9), and every sum in DECIMAL(38, 9)", () => {
    expect(duckdbCreateTable(tables.llm_calls)).toMatch(/^ {2}cost_usd decimal\(18, 9\),$/m);
    expect(duckdbCreateTable(tables.outcomes)).toMatch(/^ {2}value_usd decimal\(18, 9\),$/m);
    expect(duckdbCreateTable(tables.calls_by_day)).toMatch(/^ {2}spend_usd decimal\(38, 9\) not null,$/m);
  });

  it('sums records at the largest amount one may hold past 18 digits, to the nano-dollar', async () => {
    const engine = await DuckDBEngine.open();
    const [row] = await engine.exec(
      `select sum(cost_usd) as total from (select cast('999999999.999999999' as decimal(18, 9)) as cost_usd from range(1000))`,
    );
    expect(row!.total).toBe('999999999999.999999000');
    await engine.close();
  });
});
