import type { Params } from '../engine/engine.js';
import { tables, type TableName } from '../schema/tables.js';
import { literalRows } from './literal-rows.js';

/**
 * The one statement that writes a table row by row in place (the findings, the Slack deliveries): a MERGE on the
 * table's unique key, written once for both engines (DuckDB 1.4+ and BigQuery both take `merge into ... using (...)
 * on ... when matched then update ... when not matched then insert`). One statement is atomic on both, so a failed
 * run leaves the table as it was, and BigQuery DML (unlike streaming) can update a row again at once. The rows
 * arrive as named parameters, one select per row, each value cast to its column's type in SQL (literal-rows.ts):
 * dates and timestamps as ISO text, money as exact decimal text, never through a float.
 */

/** BigQuery allows 10,000 parameters a query; the findings' 14 columns x 200 rows stay far below. */
export const rowsPerMerge = 200;

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
  const { sql: selects, params } = literalRows(table, rows);
  const names = columns.map((c) => c.name);
  const sql = [
    `merge into {{ table(${table}) }} as target`,
    `using (\n${selects}\n) as source`,
    `on target.${uniqueKey} = source.${uniqueKey}`,
    `when matched then update set ${names.filter((n) => n !== uniqueKey).map((n) => `${n} = source.${n}`).join(', ')}`,
    `when not matched then insert (${names.join(', ')}) values (${names.map((n) => `source.${n}`).join(', ')})`,
  ].join('\n');
  return { sql, params };
}
