import type { Column, ColumnType, TableSpec } from '../schema/tables.js';

/**
 * The one place where DuckDB and BigQuery differ. Queries in sql/ are written once, in lowercase SQL that both
 * engines accept, with BigQuery-style named parameters (`@as_of`) and a few macros between double braces for what
 * the two spell differently (`{{ day(ts) }}`, `{{ table(llm_calls) }}`). Like dbt's adapter.dispatch: one default
 * spelling per macro and a per-engine override where the engines disagree. sql/README.md lists the macros.
 */

export type DialectName = 'duckdb' | 'bigquery';

/** How a table name is written in SQL: bare in DuckDB, `project.dataset.table` in BigQuery. */
export type TableRef = (name: string) => string;

type Macro = (args: string[], tableRef: TableRef) => string;

const shared: Record<string, Macro> = {
  table: ([name], tableRef) => tableRef(name!),
  safe_divide: ([a, b]) => `(${a}) / nullif(${b}, 0)`,
};

const duckdb: Record<string, Macro> = {
  ...shared,
  day: ([ts]) => `cast(${ts} as date)`,
  hour: ([ts]) => `date_trunc('hour', ${ts})`,
  week: ([d]) => `cast(date_trunc('week', ${d}) as date)`,
  month: ([d]) => `cast(date_trunc('month', ${d}) as date)`,
  add_days: ([d, n]) => `cast(${d} + to_days(cast(${n} as integer)) as date)`,
  days_between: ([from, to]) => `date_diff('day', ${from}, ${to})`,
  money: ([x]) => `cast(${x} as decimal(38, 9))`,
  float: ([x]) => `cast(${x} as double)`,
  in_list: ([x, param]) => `list_contains(${param}, ${x})`,
};

const bigquery: Record<string, Macro> = {
  ...shared,
  safe_divide: ([a, b]) => `safe_divide(${a}, ${b})`,
  day: ([ts]) => `date(${ts})`,
  hour: ([ts]) => `timestamp_trunc(${ts}, hour)`,
  week: ([d]) => `date_trunc(${d}, isoweek)`,
  month: ([d]) => `date_trunc(${d}, month)`,
  add_days: ([d, n]) => `date_add(${d}, interval ${n} day)`,
  days_between: ([from, to]) => `date_diff(${to}, ${from}, day)`,
  money: ([x]) => `cast(${x} as numeric)`,
  float: ([x]) => `cast(${x} as float64)`,
  in_list: ([x, param]) => `${x} in unnest(${param})`,
};

const macros: Record<DialectName, Record<string, Macro>> = { duckdb, bigquery };

/** Splits macro arguments at top-level commas, so `money(sum(a, b))`-style nesting survives. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}

/** A macro call whose arguments hold no other macro: the innermost, which expands first. */
const macroCall = /\{\{\s*([a-z_]+)\s*\(((?:(?!\{\{)[\s\S])*?)\)\s*\}\}/g;

/**
 * Renders a query for one engine: expands macros (innermost first, so macros may nest) and rewrites `@name`
 * parameters to DuckDB's `$name`.
 */
export function render(sql: string, dialect: DialectName, tableRef: TableRef): string {
  let out = sql;
  for (let pass = 0; pass < 8 && out.includes('{{'); pass++) {
    out = out.replace(macroCall, (_call, name: string, args: string) => {
      const macro = macros[dialect][name];
      if (!macro) throw new Error(`unknown SQL macro {{ ${name}(...) }}: the macros are listed in sql/README.md`);
      return macro(splitArgs(args), tableRef);
    });
  }
  if (out.includes('{{')) throw new Error('unbalanced {{ }} in SQL: ' + out.slice(out.indexOf('{{'), out.indexOf('{{') + 60));
  return dialect === 'duckdb' ? out.replace(/@([a-z_][a-z0-9_]*)/gi, '$$$1') : out;
}

const duckdbTypes: Record<ColumnType, string> = {
  STRING: 'varchar',
  INT64: 'bigint',
  FLOAT64: 'double',
  NUMERIC: 'decimal(38, 9)',
  BOOL: 'boolean',
  TIMESTAMP: 'timestamp',
  DATE: 'date',
};

/** DuckDB's type for a schema column. Timestamps are naive and mean UTC, as every date in ai-finops does. */
export function duckdbType(column: Column): string {
  if (column.type === 'NUMERIC' && column.precision) return `decimal(${Number(column.precision)}, ${Number(column.scale ?? 0)})`;
  return duckdbTypes[column.type];
}

/** DuckDB DDL derived from the BigQuery schema JSON. */
export function duckdbCreateTable(spec: TableSpec): string {
  const columns = spec.columns.map(
    (c) => `  ${c.name} ${duckdbType(c)}${c.mode === 'REQUIRED' ? ' not null' : ''}`,
  );
  return `create table if not exists ${spec.name} (\n${columns.join(',\n')}\n)`;
}
