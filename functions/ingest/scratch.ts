import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBValue,
} from '@duckdb/node-api';
import { bind, converterFor } from '../engine/duckdb.js';
import type { Params, Row } from '../engine/engine.js';
import { batchSelect, pricesByDayParams, pricesByDaySelect } from '../ledger/load.js';
import type { RecordShape } from '../ledger/shapes.js';
import { linesStagingSelect, stagingShapeParams, stagingShapeSelect, type ShapeAttributes } from '../ledger/stage.js';
import type { PricePeriod } from '../pricing/price-period.js';
import { duckdbCreateTable } from '../sql/dialect.js';
import { sqlFile } from '../sql/files.js';
import { tables } from '../schema/tables.js';
import { oneAtATime } from './one-at-a-time.js';

/**
 * The scratch DuckDB where the loader's own SQL validates and prices the ingest batches TypeScript does not (a
 * foreign shape, or a native record check-call.ts leaves undecided: validate-batch.ts), whatever engine holds the
 * ledger: an in-memory database opened once per process, on one thread (a batch of 500 is below what DuckDB splits
 * across cores, and parsing and redaction need the rest of the machine). Batches take turns on it.
 *
 * A batch costs one statement (batchSelect in functions/ledger/load.ts), prepared once per record shape and kept:
 * planning the loader's SQL takes longer than running it on 500 records. DuckDB plans a prepared statement again
 * at every run when it has parameters, or when a table was created or dropped since, so the statement reads its
 * parameters from a table, and nothing in the scratch is created or dropped after it opens, only filled:
 * - `ingest_lines`, the batch's records as NDJSON lines, and `ingest_params`, the one row of the statement's
 *   parameters (the batch's load_id, loaded_at and source), through DuckDB's appender (no temp file);
 * - `staging_shape`, rewritten only when a batch's shape or the config's shape attributes differ from the last;
 * - `prices_by_day`, the rate of each (provider, model, day) the batches have needed so far. Prices change with a
 *   deploy (the catalog) or the config (negotiated rates), never within a process's config, so the table grows as
 *   new models and days come and is emptied when the negotiated rates differ. A batch whose calls come back
 *   `unpriced` for a key not looked up yet gets that key's prices staged and runs again: after the first batches
 *   of a day, never.
 * - `llm_calls`, empty: new_calls.sql anti-joins the ledger's calls, but the real dedupe against the ledger comes
 *   after, in land-batch.ts.
 */

export interface ScratchBatch {
  /** The batch's records as NDJSON lines, already redacted; line n of the batch is lines[n - 1]. */
  lines: string[];
  shape: RecordShape;
  /** True when the caller knows that no two records of the batch have the same call_id. */
  uniqueIds: boolean;
  attributes: ShapeAttributes;
  negotiated: PricePeriod[];
  load: { load_id: string; loaded_at: string; source: string };
}

class Scratch {
  /** The statement for each shape, with or without the search for repeated ids. */
  private readonly statements = new Map<string, Promise<DuckDBPreparedStatement>>();
  /** `delete from` each table a batch fills, prepared: a statement run as text is planned every time. */
  private readonly empty = new Map<string, Promise<DuckDBPreparedStatement>>();
  /** What `staging_shape` and `prices_by_day` hold now: for which shape and attributes, for which negotiated rates. */
  private stagedFor: string | undefined;
  private pricedFor: string | undefined;
  /** The (provider, model, day) keys whose prices are staged, or were looked up and found in no price list. */
  private readonly looked = new Set<string>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<Scratch> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`set TimeZone = 'UTC'`); // as the engine does: every date in ai-finops is UTC
    await connection.run('set threads = 1');
    await connection.run(sqlFile('duckdb/field_macros.sql')); // what the loader's validation reads fields with
    await connection.run(duckdbCreateTable(tables.llm_calls));
    await connection.run('create temp table ingest_lines (line bigint, raw varchar)');
    await connection.run(`create temp table ingest_params (${parameterNames.map((name) => `${name} varchar`).join(', ')})`);
    // the tables a batch's statement reads, made empty from the selects that fill them, so they have their columns
    const noAttributes = { feature_attributes: [], segment_attributes: [], customer_attributes: [] };
    await connection.run(`create temp table staging_shape as ${stagingShapeSelect} limit 0`, ...bound(stagingShapeParams('native', noAttributes)));
    await connection.run(`create temp table prices_by_day as select * from (${pricesByDaySelect}) limit 0`, ...bound(pricesByDayParams([], [], [])));
    return new Scratch(instance, connection);
  }

  /**
   * The batch's landing calls (`reason` and `repeated` null), quarantine rows (`reason` set) and repeated calls
   * (`repeated` set), in the engine-neutral shape.
   */
  async run(batch: ScratchBatch): Promise<Row[]> {
    await this.fill(batch);
    await this.stageShape(batch.shape, batch.attributes);
    const negotiated = JSON.stringify(batch.negotiated);
    if (negotiated !== this.pricedFor) {
      await this.connection.run('delete from prices_by_day');
      this.looked.clear();
      this.pricedFor = negotiated;
    }
    const rows = await this.select(batch);
    return (await this.stagePrices(rows, batch.negotiated)) ? this.select(batch) : rows;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async fill(batch: ScratchBatch): Promise<void> {
    await this.emptyTable('ingest_lines');
    await this.emptyTable('ingest_params');
    const lines = await this.connection.createAppender('ingest_lines', 'main', 'temp');
    batch.lines.forEach((line, i) => {
      lines.appendBigInt(BigInt(i + 1));
      lines.appendVarchar(line);
      lines.endRow();
    });
    lines.closeSync();
    // The scratch's llm_calls is empty: no day range to bound it by (first_day and last_day stay null).
    const values: Record<ParameterName, string | null> = { ...batch.load, kind: 'calls', first_day: null, last_day: null };
    const params = await this.connection.createAppender('ingest_params', 'main', 'temp');
    for (const name of parameterNames) {
      const value = values[name];
      if (value === null) params.appendNull();
      else params.appendVarchar(value);
    }
    params.endRow();
    params.closeSync();
  }

  private async emptyTable(table: string): Promise<void> {
    let statement = this.empty.get(table);
    if (!statement) this.empty.set(table, (statement = this.connection.prepare(`delete from ${table}`)));
    await (await statement).run();
  }

  private async stageShape(shape: RecordShape, attributes: ShapeAttributes): Promise<void> {
    const params = stagingShapeParams(shape, attributes);
    const key = JSON.stringify(params);
    if (key === this.stagedFor) return;
    await this.connection.run('delete from staging_shape');
    await this.connection.run(`insert into staging_shape ${stagingShapeSelect}`, ...bound(params));
    this.stagedFor = key;
  }

  private async select(batch: ScratchBatch): Promise<Row[]> {
    const key = `${batch.shape} ${batch.uniqueIds}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const sql = batchSelect(linesStagingSelect('calls', batch.shape, 'ingest_lines'), { uniqueIds: batch.uniqueIds }) + repeatedRows;
      // `$load_id` -> `(select load_id from ingest_params)`: read as the statement runs, so no batch replans it
      statement = this.connection.prepare(sql.replace(/\$(\w+)/g, (_, name: string) => `(select ${name} from ingest_params)`));
      this.statements.set(key, statement);
    }
    return rowsOf(await (await statement).runAndReadAll());
  }

  /**
   * Stages the prices of the unpriced calls' (provider, model, day) keys not looked up yet; false when there are
   * none. Rows already in `prices_by_day` are not added twice (the pricing join would double the call).
   */
  private async stagePrices(rows: Row[], negotiated: PricePeriod[]): Promise<boolean> {
    const models = new Map<string, { provider: string | null; model: string }>();
    const days = new Set<string>();
    for (const row of rows) {
      if (row.reason !== null || row.cost_source !== 'unpriced') continue;
      const key = priceKey(row.provider as string | null, String(row.model), String(row.ts).slice(0, 10));
      if (this.looked.has(key)) continue;
      models.set(JSON.stringify([row.provider, row.model]), { provider: row.provider as string | null, model: String(row.model) });
      days.add(String(row.ts).slice(0, 10));
    }
    if (models.size === 0) return false;
    await this.connection.run(
      `insert into prices_by_day
       select * from (${pricesByDaySelect}) anti join prices_by_day using (provider_key, model, day)`,
      ...bound(pricesByDayParams([...models.values()], [...days], negotiated)),
    );
    for (const { provider, model } of models.values()) for (const day of days) this.looked.add(priceKey(provider, model, day));
    return true;
  }
}

/**
 * The valid calls that do not land because an earlier call of the same batch has their call_id (batchSelect's CTE
 * `repeated_lines`), marked `repeated`: the answer counts them as duplicates. Appended to batchSelect's union, whose
 * CTEs it reads; it counts calls, not records, since an OTLP record holds many spans.
 */
const repeatedRows = `
    union all by name
    select call_id, true as repeated from validated where line in (select line from repeated_lines)`;

/** The parameters of batchSelect, all text (cast where they are used). */
const parameterNames = ['load_id', 'loaded_at', 'source', 'kind', 'first_day', 'last_day'] as const;
type ParameterName = (typeof parameterNames)[number];

function priceKey(provider: string | null, model: string, day: string): string {
  return JSON.stringify([provider ?? '', model, day]);
}

function bound(params: Params): [ReturnType<typeof bind>['values'], ReturnType<typeof bind>['types']] {
  const { values, types } = bind(params);
  return [values, types];
}

/**
 * A result as engine-neutral rows, read column by column as DuckDB's own values (twice as fast as reading them as
 * JSON): a timestamp becomes ISO 8601 from its microseconds (parsing its text costs more than the rest of the
 * result together); any other value that is not a JavaScript primitive (BIGINT, DECIMAL) becomes the text its
 * JSON form has, which the engine's converters read.
 */
function rowsOf(reader: DuckDBResultReader): Row[] {
  const names = reader.columnNames();
  const columns = reader.getColumns().map((values, i) => {
    const convert = converterFor(reader.columnType(i));
    return values.map((value: DuckDBValue) => {
      if (value === null || typeof value === 'string' || typeof value === 'number') return convert(value);
      if (value instanceof DuckDBTimestampValue) return new Date(Number(value.micros / 1000n)).toISOString();
      return convert(String(value));
    });
  });
  return Array.from({ length: reader.currentRowCount }, (_, r) => {
    const row: Row = {};
    names.forEach((name, i) => (row[name] = columns[i]![r]!));
    return row;
  });
}

/**
 * How many batches a scratch database serves before a fresh one replaces it: rows deleted from a DuckDB table
 * leave traces that its scans still pass over (after 1,000 batches, a batch's scan of `ingest_lines` takes 4x as
 * long), and a fresh database costs ~40 ms (opening it, preparing the statement), 0.04 ms a batch.
 */
const batchesPerScratch = 1000;

let scratch: Promise<Scratch> | undefined;
let batches = 0;
const inTurn = oneAtATime();

/**
 * Validates and prices a batch on the scratch database once the batches before it are done. A scratch that failed
 * to open fails its batch, and the next batch opens another.
 */
export function runOnScratch(batch: ScratchBatch): Promise<Row[]> {
  return inTurn(async () => {
    if (batches++ % batchesPerScratch === 0 || scratch === undefined) {
      const spent = scratch;
      const opening = Scratch.open();
      opening.catch(() => (scratch = scratch === opening ? undefined : scratch));
      scratch = opening;
      (await spent?.catch(() => undefined))?.close();
    }
    return (await scratch).run(batch);
  });
}
