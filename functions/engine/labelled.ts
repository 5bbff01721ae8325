import type { TableName } from '../schema/tables.js';
import type { DayRange, Engine, Params, QueryOptions, Row } from './engine.js';

/**
 * An engine that adds labels to every statement it runs on another: how a job's name reaches the queries of the
 * shared parts it calls (the findings store, the Slack delivery ledger, the reports), so that on BigQuery each
 * query is billed to the job that sent it and runs under that job's maximumBytesBilled. The given labels win over
 * the ones a part sets for itself, which remain for the parts' own callers (a report run from the CLI).
 */
export function withLabels(engine: Engine, labels: Record<string, string>): Engine {
  const merged = (options: QueryOptions): QueryOptions => ({ ...options, labels: { ...options.labels, ...labels } });
  return {
    get dialect() {
      return engine.dialect;
    },
    ensureTables: () => engine.ensureTables(),
    query: (template: string, params?: Params, options: QueryOptions = {}): Promise<Row[]> =>
      engine.query(template, params, merged(options)),
    insertRows: (table: TableName, rows: Row[]) => engine.insertRows(table, rows),
    replaceRange: (table: TableName, range: DayRange, select: string, params?: Params, options: QueryOptions = {}) =>
      engine.replaceRange(table, range, select, params, merged(options)),
    close: () => engine.close(),
  };
}
