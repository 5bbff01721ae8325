import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlRoot } from '../paths.js';

/**
 * The tables, declared once in sql/schema/ as BigQuery schema JSON (the files Terraform reads too) plus
 * tables.json for partitioning and clustering. Everything else (DuckDB DDL, insert column lists, the row
 * validator's field list) is derived from here.
 */

export type ColumnType = 'STRING' | 'INT64' | 'FLOAT64' | 'NUMERIC' | 'BOOL' | 'TIMESTAMP' | 'DATE';

export interface Column {
  name: string;
  type: ColumnType;
  mode: 'REQUIRED' | 'NULLABLE';
  description?: string;
  /**
   * A NUMERIC's digits and decimal places, as BigQuery's schema JSON spells them (strings). Without them, (38, 9).
   * An amount of one record is (18, 9), up to a billion dollars: DuckDB then keeps it in 64 bits, which makes every
   * sum over the ledger twice as fast as over 128-bit decimals; the sums themselves stay (38, 9).
   */
  precision?: string;
  scale?: string;
}

export interface TableSpec {
  name: TableName;
  description: string;
  columns: Column[];
  partition: { field: string; type: 'DAY' } | null;
  clustering: string[];
  requirePartitionFilter: boolean;
  /** The column that identifies a row: the dedupe key, and BigQuery's insertId for streamed rows. */
  uniqueKey: string | null;
}

export const tableNames = [
  'llm_calls',
  'outcomes',
  'quarantine',
  'loads',
  'pending_days',
  'calls_by_day',
  'calls_by_hour',
  'outcomes_by_day',
  'cost_per_outcome_by_day',
  'findings',
  'forecasts',
  'advice',
  'deliveries',
] as const;

export type TableName = (typeof tableNames)[number];

type TableMeta = Omit<TableSpec, 'name' | 'columns'>;

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(sqlRoot, 'schema', file), 'utf8')) as T;
}

const meta = readJson<Record<TableName, TableMeta>>('tables.json');

export const tables: Record<TableName, TableSpec> = Object.fromEntries(
  tableNames.map((name) => [name, { name, ...meta[name], columns: readJson<Column[]>(`${name}.json`) }]),
) as Record<TableName, TableSpec>;

export function isTableName(name: string): name is TableName {
  return (tableNames as readonly string[]).includes(name);
}

/**
 * The column a table is partitioned by (a DATE or TIMESTAMP), which bounds every date range the jobs replace.
 * @throws Error for a table with no partition column: it has no date range to replace.
 */
export function partitionColumn(table: TableName): Column {
  const partition = tables[table].partition;
  const column = partition && tables[table].columns.find((c) => c.name === partition.field);
  if (!column) throw new Error(`table ${table} has no partition column, so it has no date range to replace`);
  return column;
}
