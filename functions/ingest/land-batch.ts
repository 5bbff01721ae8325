import type { Engine, Row } from '../engine/engine.js';
import { sqlFile } from '../sql/files.js';
import { addDays } from '../time/days.js';
import { oneAtATime } from './one-at-a-time.js';
import type { BatchLoad } from './validate-batch.js';

/**
 * Lands a validated batch in the ledger, on whichever engine holds it: the calls the ledger does not have yet, the
 * rejected records in the quarantine, the days touched for the next rollup, and one row in `loads`.
 *
 * A retried batch never doubles spend, twice over: the call_ids the ledger already holds are read first (one query
 * bounded to the batch's days, sql/ingest/known_call_ids.sql) and left out; and on BigQuery every row carries its
 * call_id as insertId, so two deliveries racing each other within BigQuery's dedupe window land once too.
 *
 * BigQuery has no transaction across streaming inserts, so the order of the writes is chosen for a failure half way:
 * the touched days first (an extra day only makes the rollup redo a day), the quarantine, the calls, and the load
 * record last. A retry after any failure then re-sends what is missing: calls that did land are duplicates, and the
 * days they touched are already marked.
 *
 * Batches landing on one engine take turns: the read of the known call_ids and the inserts after it are one piece of
 * work, or two batches holding the same call, landing at once, would both find it new and both land it.
 */

export interface LandedBatch {
  accepted: number;
  duplicates: number;
}

/** What a prepared batch lands: its valid calls, how many records it had and repeated, and its quarantine rows. */
export interface Landing {
  records: number;
  calls: Row[];
  repeats: number;
  quarantine: Row[];
}

export function landBatch(ledger: Engine, load: BatchLoad, batch: Landing): Promise<LandedBatch> {
  let inTurn = turns.get(ledger);
  if (!inTurn) turns.set(ledger, (inTurn = oneAtATime()));
  return inTurn(() => land(ledger, load, batch));
}

/** The queue of each engine's landings; an engine that is gone takes its queue with it. */
const turns = new WeakMap<Engine, ReturnType<typeof oneAtATime>>();

async function land(ledger: Engine, load: BatchLoad, batch: Landing): Promise<LandedBatch> {
  const known = await knownCallIds(ledger, batch.calls);
  const fresh = known.size === 0 ? batch.calls : batch.calls.filter((call) => !known.has(String(call.call_id)));
  const days = [...new Set(fresh.map((call) => dayOfTs(call.ts)))].sort();
  // Counted in calls, not records (an OTLP record holds many spans, some rejected, some skipped as agent spans):
  // the valid calls that do not land now, because the ledger has them or the batch repeats them.
  const duplicates = batch.calls.length - fresh.length + batch.repeats;

  await ledger.insertRows('pending_days', days.map((day) => ({ table_name: 'llm_calls', day, load_id: load.load_id, loaded_at: load.loaded_at })));
  await ledger.insertRows('quarantine', batch.quarantine);
  await ledger.insertRows('llm_calls', fresh);
  await ledger.insertRows('loads', [
    {
      ...load,
      record_kind: 'calls',
      rows_read: batch.records,
      rows_loaded: fresh.length,
      duplicates,
      rejected: batch.quarantine.length,
      unpriced: fresh.filter((call) => call.cost_source === 'unpriced').length,
      first_day: days[0] ?? null,
      last_day: days.at(-1) ?? null,
    },
  ]);
  return { accepted: fresh.length, duplicates };
}

/** The batch's call_ids that the ledger already holds, read from the partitions around the batch's days only. */
async function knownCallIds(ledger: Engine, calls: Row[]): Promise<Set<string>> {
  if (calls.length === 0) return new Set();
  const days = calls.map((call) => dayOfTs(call.ts)).sort();
  const rows = await ledger.query(
    sqlFile('ingest/known_call_ids.sql'),
    {
      from: addDays(days[0]!, -1),
      to: addDays(days.at(-1)!, 2),
      call_ids: calls.map((call) => String(call.call_id)),
    },
    { labels: { job: 'ingest' } },
  );
  return new Set(rows.map((row) => String(row.call_id)));
}

/** The UTC day of an engine timestamp (ISO 8601, `Z`). */
function dayOfTs(ts: Row[string]): string {
  return String(ts).slice(0, 10);
}
