import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlRoot } from '../paths.js';
import type { TableName } from '../schema/tables.js';
import type { DayRange, Engine, Params, QueryOptions, Row } from './engine.js';

/**
 * One statement a job sent to its engine: a query, or the select of a range replacement (the engine wraps that
 * select in its own delete-and-insert, bounded by the range; see replaceRangeScript in bigquery.ts).
 */
export interface RecordedStatement {
  kind: 'query' | 'replaceRange';
  /** The template from sql/ (or written inline in TypeScript), before rendering for an engine. */
  template: string;
  params: Params;
  labels: Record<string, string>;
  /** For replaceRange: the table and days it replaces. */
  table?: TableName;
  range?: DayRange;
}

/**
 * An engine that runs everything on another engine and records each statement sent through `query` and
 * `replaceRange`, in order. Running a job on it over a small (or empty) DuckDB ledger gives the exact list of
 * statements the job sends, which can then be rendered for BigQuery: to check their partition filters
 * (test/sql/partition-filters.test.ts) or to dry-run them (`ai-finops estimate`). Rows appended with `insertRows`
 * are streamed, not queried, so they bill no bytes scanned and are not recorded.
 */
export class RecordingEngine implements Engine {
  readonly statements: RecordedStatement[] = [];

  constructor(private readonly inner: Engine) {}

  get dialect() {
    return this.inner.dialect;
  }

  ensureTables(): Promise<void> {
    return this.inner.ensureTables();
  }

  query(template: string, params: Params = {}, options: QueryOptions = {}): Promise<Row[]> {
    this.statements.push({ kind: 'query', template, params, labels: { ...options.labels } });
    return this.inner.query(template, params, options);
  }

  insertRows(table: TableName, rows: Row[]): Promise<void> {
    return this.inner.insertRows(table, rows);
  }

  replaceRange(table: TableName, range: DayRange, selectTemplate: string, params: Params = {}, options: QueryOptions = {}): Promise<void> {
    this.statements.push({ kind: 'replaceRange', template: selectTemplate, params, labels: { ...options.labels }, table, range: { ...range } });
    return this.inner.replaceRange(table, range, selectTemplate, params, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Runs `run` on a RecordingEngine and returns the statements it sent: over `ledger` when given (left open), else
 * over a fresh, empty in-memory DuckDB ledger (closed after). An empty ledger shows the statements a job always
 * sends; those it sends only when the data asks (a root-cause slice per anomaly) need a ledger that has the data.
 */
export async function recordStatements(run: (engine: Engine) => Promise<unknown>, ledger?: Engine): Promise<RecordedStatement[]> {
  let inner = ledger;
  if (!inner) {
    const { DuckDBEngine } = await import('./duckdb.js');
    inner = await DuckDBEngine.open();
    await inner.ensureTables();
  }
  const recording = new RecordingEngine(inner);
  try {
    await run(recording);
    return recording.statements;
  } finally {
    if (!ledger) await inner.close();
  }
}

/** The .sql files under sql/, as paths relative to it (`rollup/calls_by_day.sql`), found afresh on each call. */
export function sqlFilePaths(): string[] {
  return (readdirSync(sqlRoot, { recursive: true }) as string[])
    .map((file) => file.split('\\').join('/'))
    .filter((file) => file.endsWith('.sql'))
    .sort();
}

let fileOfText: Map<string, string> | undefined;

/**
 * A short name for where a statement comes from: its file in sql/ (`detect/spend_by_slice.sql`), or, for SQL
 * written inline in TypeScript, `inline:` and its first line with macros unwrapped (`inline: select distinct day
 * from pending_days where …`), or `inline: the rows replacing forecasts` for a range replaced with literal rows.
 */
export function statementName(statement: RecordedStatement): string {
  fileOfText ??= new Map(sqlFilePaths().map((file) => [readFileSync(join(sqlRoot, file), 'utf8'), file]));
  const file = fileOfText.get(statement.template);
  if (file) return file;
  if (statement.kind === 'replaceRange') return `inline: the rows replacing ${statement.table}`;
  // Macros read as what they name: `{{ table(llm_calls) }}` as llm_calls, `{{ money(x) }}` as money(x).
  const line = statement.template
    .trim()
    .split('\n')[0]!
    .replace(/\{\{\s*table\((\w+)\)\s*\}\}/g, '$1')
    .replace(/\{\{\s*|\s*\}\}/g, '')
    .replace(/\s+/g, ' ');
  return `inline: ${line.length > 60 ? line.slice(0, 59) + '…' : line}`;
}
