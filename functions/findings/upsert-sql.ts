import type { Params } from '../engine/engine.js';
import { upsertStatement } from '../sql/upsert.js';

/** The findings are written by the one MERGE on their dedupe key (functions/sql/upsert.ts), 200 rows a statement. */
export { rowsPerMerge } from '../sql/upsert.js';

/** The MERGE template (macros unrendered) and its parameters for rows of the findings table. */
export function upsertFindingsStatement(rows: Record<string, string | null>[]): { sql: string; params: Params } {
  return upsertStatement('findings', rows);
}
