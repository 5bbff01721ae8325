import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBEngine } from '../engine/duckdb.js';
import type { Params } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import { sqlFile } from '../sql/files.js';
import { isDay } from '../time/days.js';

/**
 * The synthetic workload of the demo and the benchmark: LLM call logs and outcomes with realistic seasonality,
 * segments, prompt caching and real catalog models, with a known set of problems seeded in (prompt drift, a cache
 * regression, a model switch that drops quality, a retry storm, a spend spike, unattributed and unpriced calls).
 * The generator is DuckDB SQL: sql/duckdb/demo_units.sql makes the units of work (conversations, documents,
 * requests), and demo_calls.sql and demo_outcomes.sql turn them into records; their comments give each problem
 * and its date; this module runs it and writes the two files with DuckDB's own writers, so ten million calls take
 * seconds and no row passes through JavaScript.
 */

export const workloadFormats = ['ndjson', 'csv', 'parquet'] as const;
export type WorkloadFormat = (typeof workloadFormats)[number];

/** The generator's calls a day at scale 1, on average: `scale` for a size is calls / (days x this). */
export const callsPerDayAtScale1 = 3430;

export interface WorkloadOptions {
  /** Folder for the two files; created if missing. */
  dir: string;
  /** Days of traffic, ending the day before `endDate`. Every seeded problem is inside a window of 61 days or more. */
  days: number;
  /** The first day after the window, `YYYY-MM-DD` (UTC): the day the demo runs "as of". */
  endDate: string;
  /** The same seed gives the same rows and the same files. */
  seed: number;
  /** Multiplies the volume: 1 is the demo (~3,400 calls a day on average), 32.4 makes ~10 million calls in 90 days. */
  scale: number;
  format: WorkloadFormat;
  /**
   * Keep the generator's row order (the default): files are byte-identical for a seed whatever the thread count;
   * the engine runs this on one thread (10 million calls to Parquet: ~26 s). `false` runs on every core and writes
   * in a thread-dependent order: the same rows, not the same bytes (~12-22 s on two cores). For benchmarks.
   */
  ordered?: boolean;
}

export interface WorkloadFiles {
  callsFile: string;
  outcomesFile: string;
  /** Rows written to each file. */
  calls: number;
  outcomes: number;
}

const extension: Record<WorkloadFormat, string> = { ndjson: 'ndjson', csv: 'csv', parquet: 'parquet' };

/** DuckDB COPY options per format: NDJSON is one object per line, CSV has a header. */
const copyOptions: Record<WorkloadFormat, string> = {
  ndjson: 'format json',
  csv: 'format csv, header true',
  parquet: 'format parquet',
};

/** `ts` as the contract writes it: ISO-8601 UTC with milliseconds and a Z. */
const isoTimestamp = `strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ')`;

/**
 * Writes the calls (`llm_calls.<ext>`) and outcomes (`outcomes.<ext>`) of a synthetic workload into `options.dir`.
 * Call records carry every field of the contract's llm_calls but `cost_usd`, so the loader prices them from the
 * catalog (and counts the acme-llm-9000 calls as unpriced).
 *
 * @throws {UsageError} when an option is out of range.
 * @example
 * await writeWorkload(engine, { dir: 'out/demo', days: 90, endDate: '2026-03-01', seed: 42, scale: 1, format: 'ndjson' });
 * // -> { callsFile: 'out/demo/llm_calls.ndjson', outcomesFile: 'out/demo/outcomes.ndjson', calls: ~309000, outcomes: ~28000 }
 */
export async function writeWorkload(engine: DuckDBEngine, options: WorkloadOptions): Promise<WorkloadFiles> {
  const params = workloadParams(options);
  await mkdir(options.dir, { recursive: true });
  const callsFile = join(options.dir, `llm_calls.${extension[options.format]}`);
  const outcomesFile = join(options.dir, `outcomes.${extension[options.format]}`);

  // both files read the same units (the CTE `units`), so every outcome belongs to calls of the same seed
  const fromUnits = (records: string) =>
    `with units as (${sqlFile('duckdb/demo_units.sql')}) select * from (${sqlFile(`duckdb/${records}`)})`;
  const [callsSql, outcomesSql] = [fromUnits('demo_calls.sql'), fromUnits('demo_outcomes.sql')];
  // In order, one thread is also the fastest: DuckDB cannot split an order-preserving COPY from this query, and a
  // second thread only contends with the first (10 million calls: ~26 s on one thread, 35-50 s on two).
  const ordered = options.ordered ?? true;
  const [before] = await engine.exec(
    `select current_setting('preserve_insertion_order') as preserve, current_setting('threads') as threads`,
  );
  await engine.exec(`set preserve_insertion_order = ${ordered}`);
  if (ordered) await engine.exec('set threads = 1');
  try {
    const calls = await copy(engine, callsSql, callsFile, options.format, params);
    const outcomes = await copy(engine, outcomesSql, outcomesFile, options.format, params);
    return { callsFile, outcomesFile, calls, outcomes };
  } finally {
    await engine.exec(`set preserve_insertion_order = ${before?.['preserve'] === true}`);
    await engine.exec(`set threads = ${Number(before?.['threads'])}`);
  }
}

/** The SQL parameters, after checking each option: a bad one would otherwise fail deep inside DuckDB, or not at all. */
export function workloadParams(options: WorkloadOptions): Params {
  const { days, endDate, seed, scale, format } = options;
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw new UsageError(`the workload needs a whole number of days from 1 to 3660, not ${days}`);
  }
  if (!isDay(endDate)) {
    throw new UsageError(`the workload's end date must be a day as YYYY-MM-DD, not "${endDate}"`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new UsageError(`the workload's seed must be a whole number of 0 or more, not ${seed}`);
  }
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10_000) {
    throw new UsageError(`the workload's scale must be above 0 and at most 10000 (1 is the demo), not ${scale}`);
  }
  if (!workloadFormats.includes(format)) {
    throw new UsageError(`the workload's format must be one of ${workloadFormats.join(', ')}, not "${format}"`);
  }
  return { seed, days, end_date: endDate, scale };
}

/** Runs one generator query into a file and returns how many rows it wrote. */
async function copy(engine: DuckDBEngine, sql: string, file: string, format: WorkloadFormat, params: Params): Promise<number> {
  const target = `'${file.replaceAll("'", "''")}'`;
  const rows = await engine.exec(
    `copy (select * replace (${isoTimestamp} as ts) from (\n${sql}\n)) to ${target} (${copyOptions[format]})`,
    params,
  );
  return Number(rows[0]?.['Count'] ?? 0);
}
