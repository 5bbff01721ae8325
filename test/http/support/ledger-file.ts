import { DuckDBEngine } from '../../../functions/engine/duckdb.js';
import { loadFile } from '../../../functions/ledger/load.js';
import { ndjson, tempFolder } from '../../support/tmp.js';

/**
 * A DuckDB ledger file holding a week of calls for two features (one with a retried request) and their outcomes,
 * for the functions to open by FINOPS_DUCKDB_PATH as they would open BigQuery. The spend is known exactly: each
 * call costs $0.01 and there are 10 a day for 7 days.
 */
export async function ledgerFile(): Promise<{ path: string; spend: string; remove: () => void }> {
  const folder = tempFolder();
  const calls: object[] = [];
  const outcomes: object[] = [];
  for (let day = 1; day <= 7; day++) {
    const date = `2026-03-0${day}`;
    for (let i = 0; i < 10; i++) {
      const feature = i < 6 ? 'support_bot' : 'search';
      calls.push({
        ts: `${date}T${String(8 + i).padStart(2, '0')}:00:00Z`,
        call_id: `c${day}-${i}`,
        request_id: i === 1 ? `c${day}-0` : `c${day}-${i}`,
        attempt: i === 1 ? 2 : 1,
        feature,
        segment: 'pro',
        model: 'gpt-4o-mini',
        input_tokens: 100,
        output_tokens: 10,
        cost_usd: '0.01',
      });
    }
    outcomes.push({ ts: `${date}T12:00:00Z`, outcome_id: `o${day}`, feature: 'support_bot', segment: 'pro', value_usd: '2.00' });
  }
  const path = `${folder.dir}/ledger.duckdb`;
  const engine = await DuckDBEngine.open(path);
  try {
    await engine.ensureTables();
    await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson(calls)));
    await loadFile(engine, 'outcomes', folder.file('outcomes.ndjson', ndjson(outcomes)));
  } finally {
    await engine.close();
  }
  return { path, spend: '0.700000000', remove: folder.remove };
}
