/**
 * Benchmark: the same work on DuckDB (ai-finops's ledger) and on a local PostgreSQL 15 over the same rows (issue 9).
 * What a team that aggregates its gateway's spend logs in PostgreSQL would run instead: the daily rollup over the
 * whole ledger and over one day, and the hourly rollup every detector reads, over the detectors' window. The
 * PostgreSQL side is in bench/postgres/: its settings, schema, indexes, statistics and queries, written as a
 * PostgreSQL user would write them.
 *
 *   npm run bench:postgres -- --calls 1000000
 *   npm run bench:postgres -- --calls 10000000 --json
 *
 * Both sides are timed hot (one warm-up run, then the median of three, the runs of the two engines alternating) and
 * materialize their result the same way, into a temp table, so neither pays for shipping rows to Node; each answer
 * is checked (the same row count and the same total spend, exactly) before its times count. bench/scale.ts calls
 * comparePostgres at 1M and 10M.
 */
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defaultConfig } from '../functions/config/finops-config.js';
import { callsPerDayAtScale1, writeWorkload } from '../functions/demo/workload.js';
import { sharedFrom } from '../functions/detect/ledger-reads.js';
import { DuckDBEngine } from '../functions/engine/duckdb.js';
import { formatCount, renderTable } from '../functions/format/table.js';
import { loadFile } from '../functions/ledger/load.js';
import { fromNanos, toNanos } from '../functions/money.js';
import { packageRoot } from '../functions/paths.js';
import { tables } from '../functions/schema/tables.js';
import { sqlFile } from '../functions/sql/files.js';
import { addDays, type DayRange } from '../functions/time/days.js';
import { startPostgres } from './postgres/server.js';
import { timed } from './timed.js';

export interface CompareOptions {
  /** A folder for the CSV export of the ledger (deleted after the load). */
  workDir: string;
  /** Every day of the ledger: the full rollup. */
  window: DayRange;
  /** One day: the daily rollup. */
  oneDay: DayRange;
  /** The window of the detectors' shared read: the hourly rollup over it is timed. */
  detectorWindow: DayRange;
  /** Lines about the long parts (export, COPY, indexes, each query), for stderr. */
  progress?: (line: string) => void;
}

/** One query timed on both engines over the same rows. `ratio` is postgres_s / duckdb_s: how many times faster DuckDB is. */
export interface Comparison {
  query: string;
  rows: number;
  duckdb_s: number;
  postgres_s: number;
  ratio: number;
}

const pgDir = join(packageRoot, 'bench', 'postgres');
const pgSql = (file: string) => readFile(join(pgDir, file), 'utf8');

/** The timed queries: ai-finops's SQL for DuckDB, bench/postgres/'s for PostgreSQL, and the window each reads. */
const queries = [
  { name: 'rollup, every day', duckdb: 'rollup/calls_by_day.sql', postgres: 'calls_by_day.sql', window: 'window' },
  { name: 'rollup, one day', duckdb: 'rollup/calls_by_day.sql', postgres: 'calls_by_day.sql', window: 'oneDay' },
  // the aggregation behind every detector's read (they read its result, the table calls_by_hour), from raw calls
  {
    name: 'hourly rollup, detector window',
    duckdb: 'rollup/calls_by_hour.sql',
    postgres: 'calls_by_hour.sql',
    window: 'detectorWindow',
  },
] as const;

/** The result table both sides create and drop; a temp table, so it never touches either ledger. */
const result = 'bench_result';

/**
 * Loads the ledger's llm_calls into a fresh local PostgreSQL and times each query on both engines.
 *
 * @throws when the engines disagree on a result's row count or total spend: a comparison of different answers is
 * worthless.
 */
export async function comparePostgres(ledger: DuckDBEngine, options: CompareOptions): Promise<Comparison[]> {
  const progress = options.progress ?? (() => {});
  mkdirSync(options.workDir, { recursive: true });
  const csv = resolve(options.workDir, 'llm_calls.csv');
  const columns = tables.llm_calls.columns.map((c) => c.name).join(', ');

  // In ts order: a gateway appends its spend log in time order, so a PostgreSQL table of it is physically
  // ordered by ts, the best case for its ts index. ai-finops's ledger keeps whatever order it was loaded in.
  const csvLiteral = `'${csv.replaceAll("'", "''")}'`;
  const [exported, exportSeconds] = await timed(() =>
    ledger.exec(`copy (select ${columns} from llm_calls order by ts) to ${csvLiteral} (format csv, header false)`),
  );
  const calls = Number(exported[0]!.Count);
  progress(`exported ${formatCount(calls)} calls to CSV in ${exportSeconds.toFixed(1)} s`);

  const server = await startPostgres(join(pgDir, 'postgresql.conf'), progress);
  // Ctrl-C (or a kill) must not leave a server running nor its folder behind
  const onSignal = () => {
    server.stop();
    rmSync(csv, { force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const client = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await loadPostgres(client, csv, calls, progress);
    rmSync(csv, { force: true });

    const comparisons: Comparison[] = [];
    for (const query of queries) {
      const range = options[query.window];
      const duckdbSql = `create temp table ${result} as ${sqlFile(query.duckdb)}`;
      const postgresSql = `create temp table ${result} as ${await pgSql(query.postgres)}`;
      const [duckdb, postgres] = (await hot([
        {
          create: () => ledger.query(duckdbSql, { from: range.from, to: range.to }),
          check: () => ledger.exec(`select count(*) as n, cast(coalesce(sum(spend_usd), 0) as varchar) as spend from ${result}`),
          drop: () => ledger.exec(`drop table ${result}`),
        },
        {
          create: () => client.query(postgresSql, [instant(range.from), instant(range.to)]),
          check: async () =>
            (await client.query(`select count(*) as n, coalesce(sum(spend_usd), 0)::text as spend from ${result}`)).rows,
          drop: () => client.query(`drop table ${result}`),
        },
      ])) as [Timing, Timing];
      if (duckdb.rows !== postgres.rows || duckdb.spend !== postgres.spend) {
        throw new Error(
          `${query.name} [${range.from}, ${range.to}): DuckDB returned ${duckdb.rows} rows and ` +
            `${fromNanos(duckdb.spend)} USD, PostgreSQL ${postgres.rows} rows and ${fromNanos(postgres.spend)} USD: ` +
            'the queries do not compute the same thing',
        );
      }
      const comparison = {
        query: query.name,
        rows: duckdb.rows,
        duckdb_s: duckdb.seconds,
        postgres_s: postgres.seconds,
        ratio: postgres.seconds / duckdb.seconds,
      };
      const runs = (timing: Timing) => timing.runs.map((s) => s.toFixed(3)).join(', ');
      progress(
        `${query.name} [${range.from}, ${range.to}): ${formatCount(comparison.rows)} rows, DuckDB ` +
          `${comparison.duckdb_s.toFixed(3)} s (${runs(duckdb)}), PostgreSQL ${comparison.postgres_s.toFixed(3)} s ` +
          `(${runs(postgres)}): ${comparison.ratio.toFixed(1)}x`,
      );
      comparisons.push(comparison);
    }
    return comparisons;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client.end().catch(() => {});
    server.stop();
    rmSync(csv, { force: true });
  }
}

/**
 * Creates the table, COPYs the CSV into it in the same transaction (no WAL at wal_level minimal), indexes it and
 * computes its statistics (bench/postgres/statistics.sql among them).
 */
async function loadPostgres(client: pg.Client, csv: string, calls: number, progress: (line: string) => void) {
  const [, copySeconds] = await timed(async () => {
    await client.query('begin');
    await client.query(await pgSql('schema.sql'));
    await pipeline(createReadStream(csv), client.query(copyFrom('copy llm_calls from stdin (format csv)')));
    await client.query('commit');
  });
  progress(`COPY of ${formatCount(calls)} calls into PostgreSQL: ${copySeconds.toFixed(1)} s`);
  const [, indexSeconds] = await timed(async () => client.query(await pgSql('indexes.sql')));
  progress(`indexes (bench/postgres/indexes.sql): ${indexSeconds.toFixed(1)} s`);
  await client.query(await pgSql('statistics.sql'));
  const [, analyzeSeconds] = await timed(() => client.query('vacuum analyze llm_calls'));
  const { rows } = await client.query(`select pg_size_pretty(pg_total_relation_size('llm_calls')) as size`);
  progress(`VACUUM ANALYZE: ${analyzeSeconds.toFixed(1)} s; llm_calls with its indexes takes ${rows[0].size}`);
}

/** The comparisons as a table for a person, titled. */
export function renderComparisons(comparisons: Comparison[], title: string): string {
  return renderTable(
    [
      { header: 'query', value: (c: Comparison) => c.query },
      { header: 'rows', align: 'right', value: (c) => formatCount(c.rows) },
      { header: 'DuckDB s', align: 'right', value: (c) => c.duckdb_s.toFixed(3) },
      { header: 'PostgreSQL s', align: 'right', value: (c) => c.postgres_s.toFixed(3) },
      { header: 'ratio', align: 'right', value: (c) => `${c.ratio.toFixed(1)}x` },
    ],
    comparisons,
    { title, note: 'ratio: PostgreSQL time / DuckDB time; both sides return the same rows and the same spend, checked' },
  );
}

/** A day's first instant, in UTC, as PostgreSQL reads a timestamptz. */
const instant = (day: string) => `${day}T00:00:00Z`;


/**
 * One engine's side of a timed query: `create` makes the result table, `check` reads its row count `n` and total
 * `spend`, `drop` removes it.
 */
interface Side {
  create: () => Promise<unknown>;
  check: () => Promise<Record<string, unknown>[]>;
  drop: () => Promise<unknown>;
}

interface Timing {
  /** The median of `runs`. */
  seconds: number;
  /** The timed runs, after the warm-up, in order: their spread shows the noise of a shared machine. */
  runs: number[];
  rows: number;
  spend: bigint;
}

/**
 * Times both sides hot: one warm-up run each, then the median of three. The runs alternate between the engines, so
 * a burst of load from elsewhere on a shared machine slows both rather than one. Only `create` is timed; each run
 * of a side must give the same answer.
 */
async function hot(sides: Side[]): Promise<Timing[]> {
  const runs = sides.map(() => [] as Timing[]);
  for (let round = 0; round < 4; round++) {
    for (const [i, side] of sides.entries()) {
      const [, seconds] = await timed(side.create);
      const [row] = await side.check();
      await side.drop();
      runs[i]!.push({ seconds, runs: [], rows: Number(row!.n), spend: toNanos(String(row!.spend)) });
    }
  }
  return runs.map((timings) => {
    const answers = new Set(timings.map((t) => `${t.rows} rows, ${fromNanos(t.spend)} USD`));
    if (answers.size > 1) throw new Error(`the same query gave different answers on different runs: ${[...answers].join(', ')}`);
    const seconds = timings.slice(1).map((t) => t.seconds);
    return { ...timings[0]!, seconds: [...seconds].sort((a, b) => a - b)[1]!, runs: seconds };
  });
}

/** `npm run bench:postgres`: generates a workload, loads it into a DuckDB ledger and compares. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      dir: { type: 'string', default: 'bench/data/postgres' },
      json: { type: 'boolean', default: false },
    },
  });
  const target = Number(values.calls);
  const days = Number(values.days);
  const endDate = '2026-11-01';
  const log = (line: string) => process.stderr.write(line + '\n');

  const dataDir = join(values.dir, `${target}-parquet`);
  const generator = await DuckDBEngine.open();
  const files = await writeWorkload(generator, {
    dir: dataDir, days, endDate, seed: 1, scale: target / (days * callsPerDayAtScale1), format: 'parquet', ordered: false,
  });
  await generator.close();
  const dbPath = join(values.dir, 'ledger.duckdb');
  for (const path of [dbPath, dbPath + '.wal']) rmSync(path, { force: true });
  const ledger = await DuckDBEngine.open(dbPath);
  try {
    await ledger.ensureTables();
    const [loaded, loadSeconds] = await timed(() => loadFile(ledger, 'calls', files.callsFile));
    log(`loaded ${formatCount(loaded.loaded)} calls into the DuckDB ledger in ${loadSeconds.toFixed(1)} s`);
    const detectorFrom = sharedFrom({ config: defaultConfig, asOf: endDate });
    const comparisons = await comparePostgres(ledger, {
      workDir: values.dir,
      window: { from: addDays(endDate, -days), to: endDate },
      oneDay: { from: addDays(endDate, -1), to: endDate },
      detectorWindow: { from: detectorFrom, to: endDate },
      progress: log,
    });
    const output = { calls: loaded.loaded, comparisons };
    process.stdout.write(
      values.json
        ? JSON.stringify(output, null, 2) + '\n'
        : renderComparisons(comparisons, `DuckDB vs PostgreSQL 15, ${formatCount(loaded.loaded)} calls, hot (median of 3 after a warm-up)`) + '\n',
    );
  } finally {
    await ledger.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
