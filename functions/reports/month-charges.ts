import type { Engine } from '../engine/engine.js';
import { sumUsd } from '../money.js';
import { sqlFile } from '../sql/files.js';
import { monthRange } from '../time/days.js';
import { assertMatchesLedger } from './ledger-total.js';

/** One charge of a month: a day, provider, model, segment and feature, as sql/reports/focus_by_day_model_segment.sql returns it. */
export interface Charge {
  day: string;
  provider: string | null;
  model: string;
  segment: string | null;
  feature: string | null;
  calls: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  /** Exact decimal text. */
  spend_usd: string;
}

/**
 * The month's charges at the rollup's finest grain (day, provider, model, segment, feature): the FOCUS export's rows,
 * and the one place where both owners of a call (its segment and its feature) are seen together. Checked like every
 * bill: the charges' calls and spend add up to the ledger's for the month, to the nano-dollar, or this throws
 * (ledger-total.ts); `what` names the bill in that error.
 */
export async function monthCharges(engine: Engine, month: string, what: string): Promise<Charge[]> {
  const range = monthRange(month);
  const charges = (await engine.query(
    sqlFile('reports/focus_by_day_model_segment.sql'),
    { month_start: range.from, month_end: range.to },
    { labels: { job: 'report' } },
  )) as unknown as Charge[];
  await assertMatchesLedger(
    engine,
    month,
    { calls: charges.reduce((n, c) => n + c.calls, 0), spend_usd: sumUsd(charges.map((c) => c.spend_usd)) },
    what,
  );
  return charges;
}
