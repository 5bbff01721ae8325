import type { DialectName } from '../sql/dialect.js';
import type { TableName } from '../schema/tables.js';
import type { DayRange } from '../time/days.js';

export type { DayRange };

/**
 * Something that runs ai-finops's SQL: the embedded DuckDB file or BigQuery. Deliberately small (after Malloy's
 * connection layer): jobs render their queries from sql/ through the engine, which knows its own dialect, so no job
 * ever branches on the engine.
 *
 * Values cross the boundary in one shape whichever engine answers: money (NUMERIC / DECIMAL) as an exact decimal
 * string, integers as numbers, dates as `YYYY-MM-DD`, timestamps as ISO-8601 UTC strings.
 */

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

/** A named query parameter. Dates and timestamps travel as ISO strings and are cast in SQL. */
export type Param = string | number | boolean | null | string[];
export type Params = Record<string, Param>;

export interface QueryOptions {
  /** Attributes the query's own cost: BigQuery job labels (`job`, `feature`). */
  labels?: Record<string, string>;
}


export interface Engine {
  readonly dialect: DialectName;
  /** Creates any missing table from sql/schema/ (idempotent). */
  ensureTables(): Promise<void>;
  /** Renders a query template from sql/ for this engine and runs it with named parameters. */
  query(template: string, params?: Params, options?: QueryOptions): Promise<Row[]>;
  /** Appends rows; on BigQuery each row carries its table's unique key as insertId, so a retried batch lands once. */
  insertRows(table: TableName, rows: Row[]): Promise<void>;
  /**
   * Atomically replaces the rows of `table` whose partition column falls in `range` with the rows of a select:
   * either the old rows stay or the new ones are all there. This is what makes every rollup idempotent.
   */
  replaceRange(table: TableName, range: DayRange, selectTemplate: string, params?: Params, options?: QueryOptions): Promise<void>;
  close(): Promise<void>;
}
