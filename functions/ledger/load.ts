import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { DuckDBEngine } from '../engine/duckdb.js';
import { sqlFile } from '../sql/files.js';
import { priceList } from '../pricing/price-list.js';
import type { PricePeriod } from '../pricing/price-period.js';
import { tables } from '../schema/tables.js';
import { recordTable, type RecordKind } from './records.js';
import { stagingSelect } from './stage.js';

/**
 * Loading a file into the ledger, all inside DuckDB so that millions of rows take seconds: stage the file, validate
 * every record, price the calls that carry no cost, land the new ones in `ts` order (so later queries skip blocks
 * by their time range), and keep every rejected record in the quarantine with its line, field and reason.
 * One load is one transaction: it lands whole or not at all, and loading the same file again lands nothing new.
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
}

const validateQuery: Record<RecordKind, string> = {
  calls: 'duckdb/validate_calls.sql',
  outcomes: 'duckdb/validate_outcomes.sql',
};
const landQuery: Record<RecordKind, string> = { calls: 'duckdb/new_calls.sql', outcomes: 'duckdb/new_outcomes.sql' };

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
  const staged = await stagingSelect(engine, kind, path);

  await engine.exec(
    `create or replace temp table validated as with staged as (${staged}) select * from (${sqlFile(validateQuery[kind])})`,
    { path },
  );
  if (kind === 'calls') await stagePrices(engine, options.negotiated ?? []);

  const [counts] = await engine.exec(
    `select count(*) as rows_read, count(*) filter (where problem is not null) as rejected,
       cast(min(ts) filter (where problem is null) as date) as first_day,
       cast(max(ts) filter (where problem is null) as date) as last_day
     from validated`,
  );
  const rowsRead = Number(counts!.rows_read);
  const rejected = Number(counts!.rejected);

  const loaded = await engine.transaction(async () => {
    const columns = tables[table].columns.map((c) => c.name).join(', ');
    const [inserted] = await engine.exec(
      `insert into ${table} (${columns}) select ${columns} from (${sqlFile(landQuery[kind])}) order by ts`,
      { load_id: loadId, loaded_at: loadedAt },
    );
    if (rejected > 0) {
      await engine.exec(
        `insert into quarantine
         with staged as (${staged})
         select cast($loaded_at as timestamp), $load_id, $source, $kind, v.line, v.problem.field, v.problem.reason, s.record
         from validated v join staged s using (line)
         where v.problem is not null`,
        { path, loaded_at: loadedAt, load_id: loadId, source, kind },
      );
    }
    await engine.exec(
      `insert into pending_days
       select distinct $table_name, cast(ts as date), $load_id, cast($loaded_at as timestamp)
       from validated where problem is null`,
      { table_name: table, load_id: loadId, loaded_at: loadedAt },
    );
    return Number(inserted!.Count);
  });

  const rejections = (
    await engine.exec(
      `select line, problem.field as field, problem.reason as reason from validated
       where problem is not null order by line limit $limit`,
      { limit: options.showRejections ?? 20 },
    )
  ).map((r) => ({ line: Number(r.line), field: String(r.field), reason: String(r.reason) }));

  const unpricedModels =
    kind === 'calls'
      ? (
          await engine.exec(
            `select provider, model, count(*) as calls from llm_calls
             where load_id = $load_id and cost_source = 'unpriced'
               and ts >= cast($first_day as timestamp) and ts < cast($last_day as timestamp) + interval 1 day
             group by all order by calls desc, model`,
            { load_id: loadId, first_day: counts!.first_day, last_day: counts!.last_day },
          )
        ).map((r) => ({ provider: r.provider as string | null, model: String(r.model), calls: Number(r.calls) }))
      : [];

  const result: LoadResult = {
    load_id: loadId,
    kind,
    source,
    rows_read: rowsRead,
    loaded,
    duplicates: rowsRead - rejected - loaded,
    rejected,
    unpriced: unpricedModels.reduce((sum, m) => sum + m.calls, 0),
    first_day: (counts!.first_day as string | null) ?? null,
    last_day: (counts!.last_day as string | null) ?? null,
    rejections,
    unpriced_models: unpricedModels,
  };
  await engine.insertRows('loads', [
    {
      load_id: loadId, loaded_at: loadedAt, source, record_kind: kind, rows_read: rowsRead, rows_loaded: loaded,
      duplicates: result.duplicates, rejected, unpriced: result.unpriced, first_day: result.first_day,
      last_day: result.last_day,
    },
  ]);
  await engine.exec('drop table if exists validated');
  return result;
}

/**
 * Fills the temp table `price_periods` with the rates of every model in `validated` that carries no cost: catalog
 * prices at the call's date, overridden by negotiated ones. Models no catalog knows get no period, so their calls
 * land with cost_source `unpriced` and a null cost: never priced as zero.
 */
async function stagePrices(engine: DuckDBEngine, negotiated: PricePeriod[]): Promise<void> {
  const models = (
    await engine.exec(
      `select distinct provider, model from validated where problem is null and cost_usd is null order by all`,
    )
  ).map((r) => ({ provider: r.provider as string | null, model: String(r.model) }));
  const { periods } = priceList(models, negotiated);
  const shape = JSON.stringify([
    {
      provider: 'VARCHAR', model: 'VARCHAR', effective_from: 'DATE', effective_to: 'DATE',
      input_usd_per_mtok: 'DECIMAL(38,9)', cached_input_usd_per_mtok: 'DECIMAL(38,9)',
      cache_write_input_usd_per_mtok: 'DECIMAL(38,9)', output_usd_per_mtok: 'DECIMAL(38,9)', source: 'VARCHAR',
    },
  ]);
  // The periods travel as one JSON parameter; rates are decimal strings, so they reach DECIMAL exactly.
  await engine.exec(
    `create or replace temp table price_periods as
     select unnest(from_json($periods, '${shape}'), recursive := true)`,
    { periods: JSON.stringify(periods) },
  );
}
