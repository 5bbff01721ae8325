import type { Engine } from '../engine/engine.js';
import { EngineError } from '../errors.js';
import { sqlFile } from '../sql/files.js';
import { monthRange } from '../time/days.js';

/** What a bill of a month adds up to: its calls and its spend, exact. */
export interface MonthTotal {
  calls: number;
  spend_usd: string;
}

/**
 * The check every bill passes before anyone reads it (as the rollup checks itself): the bill's calls and spend
 * equal the month's calls and `sum(cost_usd)` in `llm_calls`, to the nano-dollar. Both sides are exact decimals, so
 * they are compared as strings; a difference means rollups that are behind the ledger (a load since the last
 * rollup) or a bug, never rounding. A bill that does not add up is an error, not a report.
 *
 * @throws {EngineError} naming both totals and what to run.
 */
export async function assertMatchesLedger(engine: Engine, month: string, bill: MonthTotal, what: string): Promise<void> {
  const range = monthRange(month);
  const [ledger] = await engine.query(
    sqlFile('reports/ledger_spend_by_month.sql'),
    { month_start: range.from, month_end: range.to },
    { labels: { job: 'report' } },
  );
  const calls = Number(ledger!.calls);
  const spend = String(ledger!.spend_usd);
  if (calls !== bill.calls || spend !== bill.spend_usd) {
    throw new EngineError(
      `the ${what} for ${month} does not reconcile with the ledger: it bills ${bill.spend_usd} USD over ${bill.calls} ` +
        `calls, the ledger holds ${spend} USD over ${calls}. Run \`ai-finops run rollup\` to bring the rollups up ` +
        'to date with the loads, then ask again.',
    );
  }
}
