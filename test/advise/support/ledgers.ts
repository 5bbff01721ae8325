import { join } from 'node:path';
import { parseFinopsConfig, type FinopsConfig } from '../../../functions/config/finops-config.js';
import { DuckDBEngine } from '../../../functions/engine/duckdb.js';
import { loadFile } from '../../../functions/ledger/load.js';
import { runRollup } from '../../../functions/jobs/rollup.js';
import { addDays } from '../../../functions/time/days.js';
import { ledgerWith } from '../../detect/support/workloads.js';
import type { Scenario } from '../../detect/support/scenario.js';
import { testLedger } from '../../support/ledger.js';
import { ndjson, tempFolder } from '../../support/tmp.js';

/**
 * Ledgers with known answers for the advisor tests: explicit call records (each one written out, so a test can
 * compute the answer by hand), or the detector tests' generated scenarios, rolled up as the daily job would.
 */

/** A call record as the loader reads it; `at` is the day, the call's number within it sets its minute. */
export interface CallSpec {
  day: string;
  n?: number;
  feature?: string | null;
  provider?: string;
  model?: string;
  prefix?: string | null;
  input?: number;
  cached?: number;
  output?: number;
  cost?: string;
  quality?: number;
}

let next = 0;

export function callRecord(spec: CallSpec): Record<string, unknown> {
  const n = spec.n ?? 0;
  return {
    ts: `${spec.day}T${String(8 + Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00Z`,
    call_id: `call_${next++}`,
    feature: spec.feature === undefined ? 'bot' : spec.feature,
    segment: 'pro',
    provider: spec.provider ?? 'acme',
    model: spec.model ?? 'big-model',
    prompt_prefix_hash: spec.prefix === undefined ? null : spec.prefix,
    input_tokens: spec.input ?? 1000,
    cached_input_tokens: spec.cached ?? 0,
    output_tokens: spec.output ?? 100,
    cost_usd: spec.cost ?? '0.01',
    ...(spec.quality === undefined ? {} : { quality: spec.quality }),
  };
}

/** `perDay` identical calls on each of the `days` days before `asOf`. */
export function everyDay(asOf: string, days: number, perDay: number, spec: Omit<CallSpec, 'day' | 'n'>): Record<string, unknown>[] {
  return Array.from({ length: days }, (_, d) => addDays(asOf, d - days)).flatMap((day) =>
    Array.from({ length: perDay }, (_, n) => callRecord({ ...spec, day, n })),
  );
}

/**
 * A config whose price list is a negotiated price file: `provider,model,input,cached,output` USD per million tokens
 * per line (any provider where empty), so the tests' answers do not hang on the catalog's prices.
 */
export function configWithPrices(yaml: string, prices: string[]): { config: FinopsConfig; path: string; remove: () => void } {
  const folder = tempFolder();
  const csv = ['provider,model,input_usd_per_mtok,cached_input_usd_per_mtok,output_usd_per_mtok', ...prices].join('\n') + '\n';
  const file = folder.file('prices.csv', csv);
  const text = `version: 1\npricing:\n  negotiated_prices: ${JSON.stringify(file)}\n${yaml}`;
  return { config: parseFinopsConfig(text, 'test'), path: folder.file('finops.config.yaml', text), remove: folder.remove };
}

/** An in-memory ledger holding the records, rolled up as of `asOf`. */
export async function rolledUpLedger(records: Record<string, unknown>[], asOf: string) {
  const ledger = await testLedger();
  await ledger.loadCalls(records);
  await runRollup(ledger.context(asOf));
  return ledger;
}

/**
 * A generated scenario (test/detect/support/scenario.ts) loaded and rolled up as of its end. The scenario writes
 * llm_calls directly (no load marks its days), so the rollup is told to recompute all of them.
 */
export async function rolledUpScenario(s: Scenario) {
  const engine = await ledgerWith(s);
  const config = parseFinopsConfig(`version: 1\nrollup:\n  trailing_days: ${s.days}\n`, 'test');
  await runRollup({ engine, config, asOf: s.end, now: () => new Date() });
  return engine;
}

/** A DuckDB ledger file in a temp folder holding the records, rolled up as of `asOf`, for the command tests. */
export async function rolledUpLedgerFile(records: Record<string, unknown>[], asOf: string): Promise<{ db: string; remove: () => void }> {
  const folder = tempFolder();
  const db = join(folder.dir, 'ledger.duckdb');
  const engine = await DuckDBEngine.open(db);
  try {
    await engine.ensureTables();
    await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson(records)));
    await runRollup({ engine, config: parseFinopsConfig('version: 1\n', 'test'), asOf, now: () => new Date() });
  } finally {
    await engine.close();
  }
  return { db, remove: folder.remove };
}
