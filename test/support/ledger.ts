import { defaultConfig, parseFinopsConfig, type FinopsConfig } from '../../functions/config/finops-config.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { loadFile } from '../../functions/ledger/load.js';
import type { JobContext } from '../../functions/jobs/context.js';
import { ndjson, tempFolder } from './tmp.js';

/**
 * An in-memory ledger for tests: load records by the real load path (validation, pricing, dedupe), then run jobs
 * on it with a fixed clock.
 */
export async function testLedger() {
  const engine = await DuckDBEngine.open();
  await engine.ensureTables();
  const folder = tempFolder();
  let n = 0;
  return {
    engine,
    async loadCalls(records: object[]) {
      return loadFile(engine, 'calls', folder.file(`calls_${n++}.ndjson`, ndjson(records)));
    },
    async loadOutcomes(records: object[]) {
      return loadFile(engine, 'outcomes', folder.file(`outcomes_${n++}.ndjson`, ndjson(records)));
    },
    context(asOf: string, config: FinopsConfig = defaultConfig): JobContext {
      return { engine, config, asOf, now: () => new Date() };
    },
    async close() {
      await engine.close();
      folder.remove();
    },
  };
}

export function configFrom(yaml: string): FinopsConfig {
  return parseFinopsConfig(yaml, 'test');
}
