import type { Engine } from '../engine/engine.js';
import { literalRows } from '../sql/literal-rows.js';
import { addDays } from '../time/days.js';

/**
 * The Advice record: one recommendation of one advisor (chargeback, routing, caching, commit, fine_tune,
 * self_host), with the numbers it was computed from, so that a person can audit it. An advise run writes its rows into the `advice`
 * table (sql/schema/advice.json) under its as-of day; the month-end report reads them from there.
 */

export const advisorNames = ['chargeback', 'routing', 'caching', 'commit', 'fine_tune', 'self_host'] as const;
export type AdvisorName = (typeof advisorNames)[number];

/** The inputs behind a piece of advice: plain JSON, money as decimal strings, counts and rates as numbers. */
export type AdviceInputs = Record<string, unknown>;

export interface Advice {
  /** Stable across runs: advisor, feature and subject joined by ':', a missing part written '-'. */
  key: string;
  advisor: AdvisorName;
  /** The feature it concerns; null for advice about a model or the whole ledger. */
  feature: string | null;
  /** The model, model family or prompt prefix it is about. */
  subject: string | null;
  /** One sentence a person acts on. */
  summary: string;
  /** The estimated monthly saving of following it, as exact decimal text; null when it is not a saving. */
  saving_usd_month: string | null;
  inputs: AdviceInputs;
}

/** An advice row as the table keeps it and `run advise --json` prints it (inputs as an object). */
export interface AdviceRow extends Advice {
  run_date: string;
  created_at: string;
}

/** The key of a piece of advice: `routing:support_bot:claude-sonnet-4-20250514`, `self_host:-:-`. */
export function adviceKey(advisor: AdvisorName, feature: string | null, subject: string | null): string {
  return [advisor, feature ?? '-', subject ?? '-'].join(':');
}

/**
 * Writes one run's advice: the rows of the as-of day are replaced at once (engine.replaceRange on run_date), so a
 * rerun of the same day leaves exactly its own rows, and the rows of other days stay as they were.
 */
export async function writeAdvice(engine: Engine, runDate: string, createdAt: string, advice: readonly Advice[]): Promise<AdviceRow[]> {
  const rows: AdviceRow[] = advice.map((a) => ({ run_date: runDate, ...a, created_at: createdAt }));
  const { sql, params } = literalRows(
    'advice',
    rows.map((r) => ({ ...r, inputs: JSON.stringify(r.inputs) })),
  );
  await engine.replaceRange('advice', { from: runDate, to: addDays(runDate, 1) }, sql, params, { labels: { job: 'advise' } });
  return rows;
}
