import type { Params } from '../engine/engine.js';
import { tables, type ColumnType } from '../schema/tables.js';

/**
 * The one statement that writes findings: a MERGE on the dedupe key, written once for both engines (DuckDB 1.4+ and
 * BigQuery both take `merge into ... using (...) on ... when matched then update ... when not matched then insert`).
 * One statement is atomic on both, so a failed run leaves the table as it was, and BigQuery DML (unlike streaming)
 * can update a row again at once. The rows arrive as named parameters, one select per row, each value cast to its
 * column's type in SQL: dates and timestamps as ISO text, money as exact decimal text, never through a float.
 */

/** BigQuery allows 10,000 parameters a query; 14 columns x 200 rows stays far below. */
export const rowsPerMerge = 200;

const columns = tables.findings.columns;

/** How a text parameter becomes a value of each column type. */
function cast(type: ColumnType, param: string): string {
  switch (type) {
    case 'NUMERIC':
      return `{{ money(${param}) }}`;
    case 'TIMESTAMP':
      return `cast(${param} as timestamp)`;
    case 'DATE':
      return `cast(${param} as date)`;
    case 'STRING':
      return `cast(${param} as string)`;
    default:
      throw new Error(`the findings table has a ${type} column, which the findings MERGE does not write yet`);
  }
}

/**
 * The MERGE template (macros unrendered) and its parameters for rows of the findings table, each a record of
 * column name to text (or null).
 *
 * @example upsertFindingsStatement([{ key: 'a', ... }]).sql
 * // merge into {{ table(findings) }} as target using (select cast(@r0_key as string) as key, ...) as source
 * // on target.key = source.key when matched then update set kind = source.kind, ... when not matched then insert ...
 */
export function upsertFindingsStatement(rows: Record<string, string | null>[]): { sql: string; params: Params } {
  if (rows.length === 0) throw new Error('a findings MERGE needs at least one row');
  const params: Params = {};
  const selects = rows.map((row, i) => {
    const values = columns.map((column) => {
      const name = `r${i}_${column.name}`;
      params[name] = row[column.name] ?? null;
      return `${cast(column.type, '@' + name)} as ${column.name}`;
    });
    return `select ${values.join(', ')}`;
  });
  const names = columns.map((c) => c.name);
  const sql = [
    'merge into {{ table(findings) }} as target',
    `using (\n${selects.join('\nunion all\n')}\n) as source`,
    'on target.key = source.key',
    `when matched then update set ${names.filter((n) => n !== 'key').map((n) => `${n} = source.${n}`).join(', ')}`,
    `when not matched then insert (${names.join(', ')}) values (${names.map((n) => `source.${n}`).join(', ')})`,
  ].join('\n');
  return { sql, params };
}
