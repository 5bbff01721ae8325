import { defaultConfig, type FinopsConfig } from '../config/finops-config.js';
import type { Settings } from '../config/settings.js';
import type { Engine } from './engine.js';

/**
 * Opens the engine the settings name. A DuckDB file gets its tables here, on first use; BigQuery's are made by
 * Terraform from the same schema files, so a scheduled run does not spend API calls re-creating them. The
 * BigQuery client is imported only when it is used, so the local CLI starts fast. BigQuery's caps on bytes billed
 * per job come from the config (`bigquery.maximum_bytes_billed`).
 */
export async function openEngine(settings: Settings, duckdbPath = settings.duckdbPath, config: FinopsConfig = defaultConfig): Promise<Engine> {
  if (settings.engine === 'bigquery') {
    const { BigQueryEngine } = await import('./bigquery.js');
    return new BigQueryEngine({
      projectId: settings.bigquery.project!,
      dataset: settings.bigquery.dataset!,
      location: settings.bigquery.location,
      apiEndpoint: settings.bigquery.apiEndpoint,
      maximumBytesBilled: config.bigquery.maximum_bytes_billed,
    });
  }
  const { DuckDBEngine } = await import('./duckdb.js');
  const engine = await DuckDBEngine.open(duckdbPath);
  await engine.ensureTables();
  return engine;
}
