import type { Row } from '../engine/engine.js';
import type { JobContext } from '../jobs/context.js';
import type { ForecastRow } from '../jobs/forecast.js';
import { sqlFile } from '../sql/files.js';
import { addDays, monthRange } from '../time/days.js';

/**
 * A month-end forecast as the messages show it: one row of the `forecasts` table (sql/schema/forecasts.json), the
 * forecast job's row with the run it came from.
 */
export interface MonthForecast extends Omit<ForecastRow, 'history_days' | 'data_weight'> {
  run_date: string;
}

/**
 * A forecast older than this is not reported: the job refits weekly, so five weeks without a run means the job
 * is broken, and a stale forecast would mislead.
 */
export const forecastMaxAgeDays = 35;

/**
 * The forecasts of `months` months from `monthStart` (its first day), total and per feature, from the latest
 * forecast run on or before the as-of day (and at most five weeks old). Empty when there is none.
 */
export async function latestForecasts(context: JobContext, job: string, monthStart: string, months: number): Promise<MonthForecast[]> {
  let monthTo = monthStart;
  for (let k = 0; k < months; k++) monthTo = monthRange(monthTo.slice(0, 7)).to;
  const rows = await context.engine.query(
    sqlFile('slack/latest_forecasts.sql'),
    { from: addDays(context.asOf, -forecastMaxAgeDays), as_of: context.asOf, month_from: monthStart, month_to: monthTo },
    { labels: { job } },
  );
  return rows.map(forecastFromRow);
}

/** A row of the `forecasts` table (as the engine returns it) as a MonthForecast. */
export function forecastFromRow(row: Row): MonthForecast {
  return {
    scope: row.scope === 'total' ? 'total' : 'feature',
    scope_value: row.scope_value === null || row.scope_value === undefined ? null : String(row.scope_value),
    target_month: String(row.target_month),
    horizon_months: Number(row.horizon_months),
    run_date: String(row.run_date),
    method: String(row.method),
    actual_to_date_usd: String(row.actual_to_date_usd),
    mean_usd: String(row.mean_usd),
    lo80_usd: String(row.lo80_usd),
    hi80_usd: String(row.hi80_usd),
    lo95_usd: String(row.lo95_usd),
    hi95_usd: String(row.hi95_usd),
  };
}
