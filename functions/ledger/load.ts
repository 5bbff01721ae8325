import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DuckDBEngine } from '../engine/duckdb.js';
import type { Params, Row } from '../engine/engine.js';
import { sqlFile } from '../sql/files.js';
import { priceList } from '../pricing/price-list.js';
import type { ModelKey, PricePeriod } from '../pricing/price-period.js';
import { tables } from '../schema/tables.js';
import { callProblemMarker, callProblemSql } from './call-rules.js';
import { recordTable, type RecordKind } from './records.js';
import type { RecordShape, ShapeChoice } from './shapes.js';
import { formatOf, stagedShape, stagingSelect, type ShapeAttributes } from './stage.js';

/**
 * Loading a file into the ledger, all inside DuckDB so that millions of rows take seconds: stage the file, validate
 * every record, price the calls that carry no cost, land the new ones, and keep every rejected record in the
 * quarantine with its line, field and reason. One load is one transaction: it lands whole or not at all, and
 * loading the same file again lands nothing new.
 *
 * The file is read in two streaming passes and never held in memory: the first counts (records, rejects, days,
 * models to price, repeated ids), the second lands the valid records. Only a load with rejected records reads the
 * file a third time, to copy them into the quarantine.
 */

export interface Rejection {
  line: number;
  field: string;
  reason: string;
}

export interface LoadResult {
  load_id: string;
  kind: RecordKind;
  source: string;
  /** The shape the records came in (functions/ledger/shapes.ts). */
  shape: RecordShape;
  rows_read: number;
  loaded: number;
  duplicates: number;
  rejected: number;
  unpriced: number;
  first_day: string | null;
  last_day: string | null;
  /** The first rejections, in line order, for a person to read; all of them are in the quarantine table. */
  rejections: Rejection[];
  unpriced_models: { provider: string | null; model: string; calls: number }[];
}

export interface LoadOptions {
  /** Negotiated rates that override the catalog where they apply. */
  negotiated?: PricePeriod[];
  now?: () => Date;
  /** How many rejections to return for printing. */
  showRejections?: number;
  /** The shape of the call records: native, otel, litellm, or auto (the default) to detect it. */
  shape?: ShapeChoice;
  /** Where foreign shapes carry feature, segment and customer (config `shapes:`). */
  shapeAttributes?: ShapeAttributes;
}

/** The validation of each kind of record: validate_calls.sql with its CASE generated from the rules (call-rules.ts). */
const validateQuery: Record<RecordKind, () => string> = {
  // a function, not a string: a replacement string would expand `$&` and the like
  calls: () => sqlFile('duckdb/validate_calls.sql').replace(callProblemMarker, () => callProblem),
  outcomes: () => sqlFile('duckdb/validate_outcomes.sql'),
};
const callProblem = callProblemSql();
const landQuery: Record<RecordKind, string> = { calls: 'duckdb/new_calls.sql', outcomes: 'duckdb/new_outcomes.sql' };
const idColumn: Record<RecordKind, string> = { calls: 'call_id', outcomes: 'outcome_id' };

export async function loadFile(
  engine: DuckDBEngine,
  kind: RecordKind,
  path: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const now = (options.now ?? (() => new Date()))();
  const loadId = `load_${now.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}_${randomUUID().slice(0, 8)}`;
  const loadedAt = now.toISOString();
  const source = basename(path);
  const table = recordTable[kind];
  const prepared = await validateFile(engine, kind, path, { load_id: loadId, loaded_at: loadedAt, source }, options);
  const { params, summary } = prepared;
  const summaryDays = prepared.days;
  const rowsRead = Number(summary.rows_read);
  const rejected = Number(summary.rejected);

  // The ledger does not care in which order rows land, so DuckDB may write them with every core. Line numbers
  // matter to this statement only when the load repeats an id; Parquet's come from the file itself, but NDJSON's
  // and CSV's are counted in scan order, which only an order-preserving scan keeps.
  const anyOrder = Number(summary!.repeats) === 0 || formatOf(path) === 'parquet';
  const result = await engine.transaction(async (): Promise<LoadResult> => {
    const columns = tables[table].columns.map((c) => c.name).join(', ');
    const insert = `insert into ${table} (${columns}) ${newRecordsSelect(prepared)}`;
    const [inserted] = await engine.withSetting('preserve_insertion_order', !anyOrder, () =>
      engine.exec(insert, params),
    );
    const loaded = Number(inserted!.Count);
    if (rejected > 0) await engine.exec(`insert into quarantine ${rejectedSelect(prepared)}`, params);
    await engine.exec(
      `insert into pending_days
       select $table_name, cast(unnest($days) as date), $load_id, cast($loaded_at as timestamp)`,
      { ...params, days: summaryDays },
    );
    const unpricedModels = kind === 'calls' && loaded > 0 ? await unpricedByModel(engine, loadId, summary!) : [];
    const done: LoadResult = {
      load_id: loadId,
      kind,
      source,
      shape: await stagedShape(engine),
      rows_read: rowsRead,
      loaded,
      duplicates: rowsRead - rejected - loaded,
      rejected,
      unpriced: unpricedModels.reduce((sum, m) => sum + m.calls, 0),
      first_day: (summary!.first_day as string | null) ?? null,
      last_day: (summary!.last_day as string | null) ?? null,
      rejections: [],
      unpriced_models: unpricedModels,
    };
    await engine.exec(
      `insert into loads (load_id, loaded_at, source, record_kind, rows_read, rows_loaded, duplicates, rejected,
         unpriced, first_day, last_day)
       select $load_id, cast($loaded_at as timestamp), $source, $kind, $rows_read, $rows_loaded, $duplicates, $rejected,
         $unpriced, cast($first_day as date), cast($last_day as date)`,
      {
        ...params, rows_read: rowsRead, rows_loaded: loaded, duplicates: done.duplicates, rejected,
        unpriced: done.unpriced, first_day: done.first_day, last_day: done.last_day,
      },
    );
    return done;
  });

  result.rejections = (
    await engine.exec(
      `select line, field, reason from quarantine where load_id = $load_id order by line limit $limit`,
      { load_id: loadId, limit: options.showRejections ?? 20 },
    )
  ).map((r) => ({ line: Number(r.line), field: String(r.field), reason: String(r.reason) }));
  await dropValidationTables(engine);
  return result;
}

/** A file staged and validated, with what new_calls.sql / new_outcomes.sql read set up beside it. */
interface ValidatedFile {
  kind: RecordKind;
  /** `with staged as (...), validated as (...)`: the CTEs every statement over the file starts with. */
  validated: string;
  /** The file's path and the load's id, time, source and kind, with its first and last day: every statement's. */
  params: Params;
  /** rows_read, rejected, repeats (at least the ids an earlier record has), first_day, last_day of the valid records. */
  summary: Row;
  /** The days of the valid records, `YYYY-MM-DD`. */
  days: string[];
}

/**
 * Stages a file, validates every record, and prepares its landing: the temp tables `repeated_lines` (records whose
 * id an earlier one has) and, for calls, `prices_by_day` (the rate of each model without a cost on each day), with
 * the SQL that the ingest function validates and prices its batches with too (batchSelect below). Call
 * dropValidationTables when done.
 */
async function validateFile(
  engine: DuckDBEngine,
  kind: RecordKind,
  path: string,
  load: { load_id: string; loaded_at: string; source: string },
  options: LoadOptions = {},
): Promise<ValidatedFile> {
  const table = recordTable[kind];
  const id = idColumn[kind];
  await engine.exec(sqlFile('duckdb/field_macros.sql'));
  // The file, staged then validated, as CTEs any statement below can start with. Not materialized: each statement
  // streams the file through them once, and DuckDB prunes the columns it does not read.
  const staged = `with staged as not materialized (${await stagingSelect(engine, kind, path, { shape: options.shape, attributes: options.shapeAttributes })})`;
  const validated = `${staged}, validated as not materialized (${validateQuery[kind]()})`;
  const params: Params = { path, ...load, kind, table_name: table };

  const [summary] = await engine.exec(
    `${validated}
     select
       count(*) as rows_read,
       count(*) filter (where problem is not null) as rejected,
       -- distinct 64-bit hashes, not strings: twice as fast; a collision (odds ~1e-6 in 10M ids) only sends the
       -- load through the exact search for repeated ids below, which then finds none
       count(${id}) filter (where problem is null) - count(distinct hash(${id})) filter (where problem is null) as repeats,
       cast(min(ts) filter (where problem is null) as date) as first_day,
       cast(max(ts) filter (where problem is null) as date) as last_day,
       list(distinct cast(cast(ts as date) as varchar)) filter (where problem is null) as days
       ${kind === 'calls' ? `, list(distinct {'provider': provider, 'model': model}) filter (where problem is null and cost_usd is null) as unpriced_models` : ''}
     from validated`,
    params,
  );
  const summaryDays = (summary!.days as unknown as string[] | null) ?? [];

  // Lines whose id an earlier line already has: found only when there are any, since it takes a sort.
  await engine.exec(
    Number(summary!.repeats) > 0
      ? `create or replace temp table repeated_lines as ${validated}
         select line from validated where problem is null
         qualify row_number() over (partition by ${id} order by line) > 1`
      : `create or replace temp table repeated_lines (line bigint)`,
    params,
  );
  if (kind === 'calls') {
    const models = (summary!.unpriced_models as unknown as ModelKey[] | null) ?? [];
    await stagePrices(engine, models, summaryDays, options.negotiated ?? []);
  }

  return {
    kind,
    validated,
    params: { ...params, first_day: summary!.first_day as string | null, last_day: summary!.last_day as string | null },
    summary: summary!,
    days: summaryDays,
  };
}

/** The statement selecting a validated file's records that land: valid, new, priced, in the table's columns. */
function newRecordsSelect(file: ValidatedFile): string {
  const columns = tables[recordTable[file.kind]].columns.map((c) => c.name).join(', ');
  return `${file.validated} select ${columns} from (${sqlFile(landQuery[file.kind])})`;
}

/** The statement selecting a validated file's rejected records as quarantine rows: line, field, reason, record. */
function rejectedSelect(file: ValidatedFile): string {
  return `${file.validated} ${rejectedRows}`;
}

/** The rejected records of the CTEs `staged` and `validated` as quarantine rows. */
const rejectedRows = `
    select cast($loaded_at as timestamp) as quarantined_at, $load_id as load_id, $source as source, $kind as record_kind,
      s.source_line as line, v.problem.field as field, v.problem.reason as reason, s.record
    from validated v join staged s using (line)
    where v.problem is not null`;

/**
 * One statement doing for a small batch of call records (an ingest batch) what validateFile, newRecordsSelect and
 * rejectedSelect do for a file, in one pass: the staged records (`staged`, a staging select) validated once, the
 * calls that land priced (their `reason` null) and the rejected records as quarantine rows (their `reason` set),
 * united by name. The same SQL files decide both. It reads the temp tables `staging_shape` and `prices_by_day`,
 * which its caller keeps filled, and `llm_calls` between $first_day and $last_day. With no DDL in it, the
 * statement can be prepared once and run for every batch: planning it costs more than running it on 500 records.
 */
export function batchSelect(staged: string, options: { uniqueIds: boolean }): string {
  const columns = tables.llm_calls.columns.map((c) => c.name).join(', ');
  // shadows the temp table that new_calls.sql reads: a batch's repeated ids are found in the same pass, or, when
  // its caller knows that no id repeats, not looked for (the sort takes a tenth of the statement)
  const repeated = options.uniqueIds
    ? 'select cast(null as bigint) as line where false'
    : `select line from validated where problem is null
       qualify row_number() over (partition by ${idColumn.calls} order by line) > 1`;
  return `with staged as materialized (${staged}),
    validated as materialized (${validateQuery.calls()}),
    repeated_lines as (${repeated})
    select ${columns} from (${sqlFile(landQuery.calls)})
    union all by name
    ${rejectedRows}`;
}

/** Drops the temp tables validateFile made. */
async function dropValidationTables(engine: DuckDBEngine): Promise<void> {
  await engine.exec('drop table if exists repeated_lines; drop table if exists prices_by_day');
}

/** The load's landed calls that no price list knows, by model: reported so that someone adds a price. */
async function unpricedByModel(engine: DuckDBEngine, loadId: string, summary: Row): Promise<LoadResult['unpriced_models']> {
  const rows = await engine.exec(
    `select provider, model, count(*) as calls from llm_calls
     where ts >= cast($first_day as timestamp) and ts < cast($last_day as timestamp) + interval 1 day
       and load_id = $load_id and cost_source = 'unpriced'
     group by all order by calls desc, model`,
    { load_id: loadId, first_day: summary.first_day!, last_day: summary.last_day! },
  );
  return rows.map((r) => ({ provider: r.provider as string | null, model: String(r.model), calls: Number(r.calls) }));
}

/**
 * Fills the temp table `prices_by_day` with the rate of every model in the load that carries no cost, on each day of
 * the load: catalog prices at the call's date, overridden by negotiated ones. A model no catalog knows gets no row,
 * so its calls land with cost_source `unpriced` and a null cost: never priced as zero.
 */
async function stagePrices(engine: DuckDBEngine, models: ModelKey[], days: string[], negotiated: PricePeriod[]): Promise<void> {
  await engine.exec(`create or replace temp table prices_by_day as ${pricesByDaySelect}`, pricesByDayParams(models, days, negotiated));
}

/** The rows of `prices_by_day` for `models` on `days`, bound to pricesByDayParams. */
export function pricesByDayParams(models: ModelKey[], days: string[], negotiated: PricePeriod[]): Params {
  // The periods travel as one JSON parameter; rates are decimal strings, so they reach DECIMAL exactly.
  return { periods: JSON.stringify(priceList(models, negotiated).periods), days };
}

const pricesByDayShape = JSON.stringify([
  {
    provider: 'VARCHAR', model: 'VARCHAR', effective_from: 'DATE', effective_to: 'DATE',
    input_usd_per_mtok: 'DECIMAL(38,9)', cached_input_usd_per_mtok: 'DECIMAL(38,9)',
    cache_write_input_usd_per_mtok: 'DECIMAL(38,9)', output_usd_per_mtok: 'DECIMAL(38,9)', source: 'VARCHAR',
  },
]);

/** The rate of each model of the periods on each of the days: `prices_by_day`'s rows. */
export const pricesByDaySelect = `with periods as (select unnest(from_json($periods, '${pricesByDayShape}'), recursive := true)),
     days as (select cast(unnest($days) as date) as day)
     select coalesce(provider, '') as provider_key, model, day, source,
       -- USD per million tokens -> femto-dollars per token, a whole number (see sql/duckdb/new_calls.sql)
       cast(input_usd_per_mtok * 1000000000 as bigint) as input_femto_usd_per_token,
       cast(cached_input_usd_per_mtok * 1000000000 as bigint) as cached_input_femto_usd_per_token,
       cast(cache_write_input_usd_per_mtok * 1000000000 as bigint) as cache_write_input_femto_usd_per_token,
       cast(output_usd_per_mtok * 1000000000 as bigint) as output_femto_usd_per_token
     from periods join days
       on day >= coalesce(effective_from, date '0001-01-01') and day < coalesce(effective_to, date '9999-12-31')`;
