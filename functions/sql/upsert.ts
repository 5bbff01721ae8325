import type { Params } from '../engine/engine.js';
import { tables, type ColumnType, type TableName } from '../schema/tables.js';

/**
 * The one statement that writes a table row by row in place (the findings, the Slack deliveries): a MERGE on the
 * table's unique key, written once for both engines (DuckDB 1.4+ and BigQuery both take `merge into ... using (...)
 * on ... when matched then update ... when not matched then insert`). One statement is atomic on both, so a failed
 * run leaves the table as it was, and BigQuery DML (unlike streaming) can update a row again at once. The rows
 * arrive as named parameters, one select per row, each value cast to its column's type in SQL: dates and timestamps
 * as ISO text, money as exact decimal text, never through a float.
 */

/** BigQuery allows 10,000 parameters a query; the findings' 14 columns x 200 rows stay far below. */
export const rowsPerMerge = 200;

/**
 * How a text parameter becomes a value of each column type. Counts cast to `integer`, which both engines spell
 * alike (INT64 in BigQuery, 32 bits in DuckDB: ample for counts of tries) and widen into the INT64 column.
 */
function cast(table: TableName, type: ColumnType, param: string): string {
  switch (type) {
    case 'NUMERIC':
      return `{{ money(${param}) }}`;
    case 'TIMESTAMP':
      return `cast(${param} as timestamp)`;
    case 'DATE':
      return `cast(${param} as date)`;
    case 'STRING':
      return `cast(${param} as string)`;
    case 'INT64':
      return `cast(${param} as integer)`;
    default:
      throw new Error(`the ${table} table has a ${type} column, which the MERGE does not write yet`);
  }
}

/**
 * The MERGE template (macros unrendered) and its parameters for rows of a table with a unique key, each row a
 * record of column name to text (or null).
 *
 * @example upsertStatement('findings', [{ key: 'a', ... }]).sql
 * // merge into {{ table(findings) }} as target using (select cast(@r0_key as string) as key, ...) as source
 * // on target.key = source.key when matched then update set kind = source.kind, ... when not matched then insert ...
 */
export function upsertStatement(table: TableName, rows: Record<string, string | null>[]): { sql: string; params: Params } {
  const { columns, uniqueKey } = tables[table];
  if (uniqueKey === null) throw new Error(`the ${table} table has no unique key to MERGE on`);
  if (rows.length === 0) throw new Error(`a ${table} MERGE needs at least one row`);
  const params: Params = {};
  const selects = rows.map((row, i) => {
    const values = columns.map((column) => {
      const name = `r${i}_${column.name}`;
      params[name] = row[column.name] ?? null;
      return `${cast(table, column.type, '@' + name)} as ${column.name}`;
    });
    return `select ${values.join(', ')}`;
  });
  const names = columns.map((c) => c.name);
  const sql = [
    `merge into {{ table(${table}) }} as target`,
    `using (\n${selects.join('\nunion all\n')}\n) as source`,
    `on target.${uniqueKey} = source.${uniqueKey}`,
    `when matched then update set ${names.filter((n) => n !== uniqueKey).map((n) => `${n} = source.${n}`).join(', ')}`,
    `when not matched then insert (${names.join(', ')}) values (${names.map((n) => `source.${n}`).join(', ')})`,
  ].join('\n');
  return { sql, params };
}
