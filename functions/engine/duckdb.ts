import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTypeId,
  LIST,
  VARCHAR,
  listValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EngineError } from '../errors.js';
import { render, duckdbCreateTable } from '../sql/dialect.js';
import { partitionColumn, tables, tableNames, type TableName } from '../schema/tables.js';
import type { DayRange } from '../time/days.js';
import type { Engine, Params, Row, Value } from './engine.js';

/**
 * The embedded engine: a DuckDB file (or memory). The default for the demo, the tests and anyone without a cloud
 * account. Timestamps are stored naive and mean UTC.
 */
export class DuckDBEngine implements Engine {
  readonly dialect = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (creating if need be) a DuckDB file, or an in-memory database for `:memory:`. */
  static async open(path = ':memory:'): Promise<DuckDBEngine> {
    try {
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      // Every date in ai-finops is UTC. Without this, DuckDB's time zone extension converts timestamps with an
      // offset into the machine's local time, and a laptop in New York would roll calls into the wrong day.
      await connection.run(`set TimeZone = 'UTC'`);
      return new DuckDBEngine(instance, connection, path);
    } catch (cause) {
      throw new EngineError(`cannot open the DuckDB file ${path}: is another ai-finops process using it?`, { cause });
    }
  }

  async ensureTables(): Promise<void> {
    for (const name of tableNames) await this.exec(duckdbCreateTable(tables[name]));
  }

  async query(template: string, params: Params = {}): Promise<Row[]> {
    return this.exec(render(template, 'duckdb', (name) => name), params);
  }

  /**
   * Runs DuckDB SQL as it is (no macros): for the DuckDB-only paths, such as reading files with read_csv.
   * Results come back in the engine-neutral shape.
   */
  async exec(sql: string, params: Params = {}): Promise<Row[]> {
    const used = Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes('$' + name)));
    const { values, types } = bind(used);
    try {
      const reader = await this.connection.runAndReadAll(sql, values, types);
      const names = reader.columnNames();
      const converters = reader.columnTypes().map(converterFor);
      return reader.getRowsJson().map((row) => {
        const out: Row = {};
        row.forEach((value, i) => (out[names[i]!] = converters[i]!(value)));
        return out;
      });
    } catch (cause) {
      throw new EngineError(`DuckDB query failed: ${(cause as Error).message}`, { cause });
    }
  }

  async insertRows(table: TableName, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    // Values go in as text through an all-varchar temp table, then are cast by DuckDB: exact for decimals
    // (no float round trip), and one code path for every column type.
    const columns = tables[table].columns.map((c) => c.name);
    const temp = `insert_${table}`;
    await this.exec(`create or replace temp table ${temp} (${columns.map((c) => `${c} varchar`).join(', ')})`);
    const appender = await this.connection.createAppender(temp, 'main', 'temp');
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column];
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendVarchar(String(value));
      }
      appender.endRow();
    }
    appender.closeSync();
    await this.transaction(async () => {
      await this.exec(`insert into ${table} (${columns.join(', ')}) select ${columns.join(', ')} from ${temp}`);
    });
    await this.exec(`drop table ${temp}`);
  }

  async replaceRange(table: TableName, range: DayRange, selectTemplate: string, params: Params = {}): Promise<void> {
    const column = partitionColumn(table).name;
    const select = render(selectTemplate, 'duckdb', (name) => name);
    const columns = tables[table].columns.map((c) => c.name).join(', ');
    await this.transaction(async () => {
      await this.exec(
        `delete from ${table} where ${column} >= cast($range_from as date) and ${column} < cast($range_to as date)`,
        { range_from: range.from, range_to: range.to },
      );
      await this.exec(`insert into ${table} (${columns}) select ${columns} from (${select})`, params);
    });
  }

  /** Runs `work` with a DuckDB setting changed, then puts the setting back as it was. */
  async withSetting<T>(name: string, value: boolean | number | string, work: () => Promise<T>): Promise<T> {
    const [before] = await this.exec(`select current_setting('${name}') as value`);
    const literal = (v: unknown) => (typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v));
    await this.exec(`set ${name} = ${literal(value)}`);
    try {
      return await work();
    } finally {
      await this.exec(`set ${name} = ${literal(before!.value)}`);
    }
  }

  /** Runs `work` in one transaction: all of it lands, or none. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.exec('begin transaction');
    try {
      const result = await work();
      await this.exec('commit');
      return result;
    } catch (error) {
      await this.exec('rollback');
      throw error;
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Named parameters as the DuckDB client binds them: a string array as a VARCHAR[], a null as a VARCHAR. */
export function bind(params: Params): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      values[name] = listValue(value);
      types[name] = LIST(VARCHAR);
    } else {
      values[name] = value;
      if (value === null) types[name] = VARCHAR;
    }
  }
  return { values, types };
}

export type Convert = (value: unknown) => Value;

const asIs: Convert = (value) => (value === undefined ? null : (value as Value));
const toNumber: Convert = (value) => (value === null ? null : Number(value));
/** '2026-11-01 12:34:56.789' (naive, UTC) -> '2026-11-01T12:34:56.789Z'. */
const toIsoTimestamp: Convert = (value) =>
  value === null ? null : new Date(String(value).replace(' ', 'T') + 'Z').toISOString();

/** How a value of a DuckDB column reaches JavaScript in the engine-neutral shape (see Engine). */
export function converterFor(type: DuckDBType): Convert {
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return toNumber;
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_NS:
      return toIsoTimestamp;
    default:
      return asIs; // decimals stay exact strings; dates are already YYYY-MM-DD
  }
}
