import type { Settings } from '../config/settings.js';
import type { Engine } from './engine.js';

/**
 * Opens the engine the settings name, with its tables in place. The BigQuery client is imported only when it is
 * used, so the local CLI starts fast.
 */
export async function openEngine(settings: Settings, duckdbPath = settings.duckdbPath): Promise<Engine> {
  let engine: Engine;
  if (settings.engine === 'bigquery') {
    const { BigQueryEngine } = await import('./bigquery.js');
    engine = new BigQueryEngine({
      projectId: settings.bigquery.project!,
      dataset: settings.bigquery.dataset!,
      location: settings.bigquery.location,
      apiEndpoint: settings.bigquery.apiEndpoint,
    });
  } else {
    const { DuckDBEngine } = await import('./duckdb.js');
    engine = await DuckDBEngine.open(duckdbPath);
  }
  await engine.ensureTables();
  return engine;
}
