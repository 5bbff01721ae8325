import {
  DuckDBAppender,
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  DuckDBTypeId,
  LIST,
  VARCHAR,
  listValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EngineError } from '../errors.js';
import { render, duckdbCreateTable } from '../sql/dialect.js';
import { partitionColumn, tables, tableNames, type ColumnType, type TableName } from '../schema/tables.js';
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
    // Straight into the table through DuckDB's appender: it keeps the rows in memory and appends them when it is
    // closed, in one transaction: its own when the connection has none open, so the rows land whole or not at all
    // without a transaction of ours (which would cost two statements more). The connection is shared, though: while
    // another caller has a transaction open on it (a load, a replaceRange, interleaved at an await), the rows join
    // that transaction, and land or roll back with it. Only more rows than the appender holds before it flushes on
    // its own need a transaction here. Each value is appended typed where it has the form the engine returns (appendValue below), as text that
    // DuckDB casts otherwise: the same cast an insert from a text column does, so decimals stay exact either way.
    // The appender fills the table's columns in their order, which is tables.ts's: the DDL is made from it.
    const append = () => this.append(table, rows);
    await (rows.length > appenderFlushRows ? this.transaction(append) : append());
  }

  private async append(table: TableName, rows: Row[]): Promise<void> {
    const columns = tables[table].columns.map((c) => ({ name: c.name, append: appendValue[c.type] }));
    let appender: DuckDBAppender;
    try {
      appender = await this.connection.createAppender(table);
    } catch (cause) {
      throw new EngineError(`DuckDB could not insert into ${table}: ${(cause as Error).message}`, { cause });
    }
    try {
      for (const row of rows) {
        for (const { name, append } of columns) {
          const value = row[name];
          if (value === null || value === undefined) appender.appendNull();
          else append(appender, value);
        }
        appender.endRow();
      }
    } catch (cause) {
      appender.clear(); // closing flushes what the appender holds: nothing of a failed insert may land
      appender.closeSync();
      throw new EngineError(`DuckDB could not insert into ${table}: ${(cause as Error).message}`, { cause });
    }
    try {
      appender.closeSync();
    } catch (cause) {
      throw new EngineError(`DuckDB could not insert into ${table}: ${(cause as Error).message}`, { cause });
    }
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
    const restore = () => this.exec(`set ${name} = ${literal(before!.value)}`);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // Inside a transaction the error aborted, the restore fails too: the caller must see why the work failed.
      await restore().catch(() => undefined);
      throw error;
    }
    await restore();
    return result;
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

/** How many rows DuckDB's appender holds before it flushes on its own: 100 vectors of 2,048 (appender.cpp). */
const appenderFlushRows = 100 * 2048;

type Append = (appender: DuckDBAppender, value: string | number | boolean) => void;

const asText: Append = (appender, value) => appender.appendVarchar(String(value));
/** An engine timestamp: ISO 8601 in UTC to the millisecond, `Z` (what toIsoTimestamp makes). */
const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * How a value of a column type is appended: typed, for the forms rows carry (a number for INT64 and FLOAT64, ISO
 * text for TIMESTAMP), which spares DuckDB a cast from text per value; as text otherwise. A NUMERIC is always
 * appended as its text: DuckDB's cast is exact for the text of at most 9 places that money.ts writes (more places
 * round), and the client's typed decimal costs a value object per value (500 calls append in 5 ms as text, 7 ms
 * typed: `npm run bench:ingest`).
 */
const appendValue: Record<ColumnType, Append> = {
  STRING: asText,
  DATE: asText,
  BOOL: (appender, value) => (typeof value === 'boolean' ? appender.appendBoolean(value) : asText(appender, value)),
  INT64: (appender, value) => (typeof value === 'number' && Number.isSafeInteger(value) ? appender.appendBigInt(BigInt(value)) : asText(appender, value)),
  FLOAT64: (appender, value) => (typeof value === 'number' ? appender.appendDouble(value) : asText(appender, value)),
  NUMERIC: asText,
  TIMESTAMP: (appender, value) => {
    if (typeof value !== 'string') {
      throw new EngineError(`a TIMESTAMP takes ISO 8601 text, e.g. 2026-11-01T12:34:56.000Z, not a ${typeof value}`);
    }
    const ms = isoUtc.test(value) ? Date.parse(value) : NaN;
    // Date.parse rolls an impossible day (February 30th, hour 24) over: a day past the 28th or an hour past 23 is
    // typed only when it reads back the same
    const plain = value.slice(8, 10) <= '28' && value.slice(11, 13) <= '23';
    if (Number.isNaN(ms) || (!plain && new Date(ms).toISOString() !== value)) asText(appender, value);
    else appender.appendTimestamp(new DuckDBTimestampValue(BigInt(ms) * 1000n));
  },
};

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
