import { DuckDBEngine } from '../engine/duckdb.js';
import { duckdbCreateTable } from '../sql/dialect.js';
import { tables } from '../schema/tables.js';
import { oneAtATime } from './one-at-a-time.js';

/**
 * The scratch DuckDB an ingest batch is validated and priced in, whatever engine holds the ledger: an in-memory
 * database opened once per process (opening one takes ~25 ms, a batch's queries a few), holding an empty llm_calls
 * for the loader's SQL to anti-join (sql/duckdb/new_calls.sql; the real dedupe against the ledger comes after, in
 * land-batch.ts). Batches take turns on it: validateFile keeps its temp tables under fixed names, and a batch of
 * 500 is too small to gain from running beside another.
 */

let scratch: Promise<DuckDBEngine> | undefined;
const inTurn = oneAtATime();

/** Runs `work` on the scratch database once the batches before it are done. */
export function withScratch<T>(work: (engine: DuckDBEngine) => Promise<T>): Promise<T> {
  return inTurn(async () => work(await (scratch ??= openScratch())));
}

async function openScratch(): Promise<DuckDBEngine> {
  const engine = await DuckDBEngine.open(':memory:');
  // One thread: a batch is a few hundred rows, below what DuckDB splits across cores, and the function's other
  // work (parsing, redaction) needs the rest of the machine.
  await engine.exec('set threads = 1');
  await engine.exec(duckdbCreateTable(tables.llm_calls));
  return engine;
}
