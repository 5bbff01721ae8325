import type { Params } from '../engine/engine.js';
import { tables, type ColumnType, type TableName } from '../schema/tables.js';

/**
 * Rows of a table written as SQL, once for both engines: one `select` per row, `union all`, each value a named text
 * parameter cast to its column's type in SQL. Amounts travel as exact decimal text and become NUMERIC through the
 * money macro, never through a float. The forecasts and the advice (engine.replaceRange) and the MERGE of findings
 * and deliveries (upsert.ts) all write their rows with it.
 */

/**
 * How a text parameter becomes a value of each column type: the one cast table. Every spelling is one that both
 * engines accept, so nothing here depends on the dialect but the macros: `int64` is BigQuery's INT64 and DuckDB's
 * alias of BIGINT (64 bits; `integer` would be 32 bits on DuckDB, and BigQuery has no `bigint`), `bool` is BOOL in
 * both (BigQuery has no `boolean`), `string` is VARCHAR in DuckDB.
 */
const casts: Record<ColumnType, (param: string) => string> = {
  STRING: (param) => `cast(${param} as string)`,
  INT64: (param) => `cast(${param} as int64)`,
  FLOAT64: (param) => `{{ float(${param}) }}`,
  NUMERIC: (param) => `{{ money(${param}) }}`,
  BOOL: (param) => `cast(${param} as bool)`,
  TIMESTAMP: (param) => `cast(${param} as timestamp)`,
  DATE: (param) => `cast(${param} as date)`,
};

/** A parameter (or `null`) cast to a column type, macros unrendered: `cast(@r0_attempts as int64)`. */
export function castTo(type: ColumnType, param: string): string {
  return casts[type](param);
}

/**
 * The rows of `table` as a select (macros unrendered) and its parameters, named `r<row>_<column>`. A value that is
 * null or undefined is a null parameter; any other is passed as its text (String(value)). No rows: a select with the
 * table's columns that returns none.
 *
 * @example literalRows('deliveries', [{ key: 'digest:2026-11-16', attempts: 2 }]).sql
 * // select cast(@r0_key as string) as key, ..., cast(@r0_attempts as int64) as attempts, ...
 */
export function literalRows(table: TableName, rows: readonly Record<string, unknown>[]): { sql: string; params: Params } {
  const { columns } = tables[table];
  const params: Params = {};
  const selects = rows.map((row, i) => {
    const values = columns.map((column) => {
      const name = `r${i}_${column.name}`;
      const value = row[column.name];
      params[name] = value === null || value === undefined ? null : String(value);
      return `${castTo(column.type, '@' + name)} as ${column.name}`;
    });
    return `select ${values.join(', ')}`;
  });
  const none = `select ${columns.map((c) => `${castTo(c.type, 'null')} as ${c.name}`).join(', ')} from (select 1 as one) as nothing where 1 = 0`;
  return { sql: selects.length > 0 ? selects.join('\nunion all\n') : none, params };
}
