import { featureConfig } from '../config/finops-config.js';
import type { Row } from '../engine/engine.js';
import { ForecastInputError } from '../forecast/errors.js';
import { forecastDailySpend, spendTotal, type SpendForecast } from '../forecast/spend-forecast.js';
import { fromNanos, toNanos } from '../money.js';
import { sqlFile } from '../sql/files.js';
import { literalRows } from '../sql/literal-rows.js';
import { addDays, addMonths, daysBetween, monthRange, type DayRange } from '../time/days.js';
import type { JobContext, JobResult } from './context.js';

/**
 * The forecast job (CONTRACT.md: `ai-finops run forecast`, Mondays 05:00): refits every daily spend series, the
 * total and each feature's, and writes into the `forecasts` ledger one row per (run date, scope, target month) for
 * the month in progress and the next three: the method chosen, the point forecast and the 80% and 95% intervals of
 * the month's total, with month-to-date actuals counted as known. Then it scores every forecast of a month that
 * has closed since: the error of the mean and whether the actual fell inside each interval.
 *
 * Idempotent: the run date's rows are replaced atomically (engine.replaceRange on run_date), and scoring touches a
 * row only when its actual is new or changed, so a rerun leaves the same table.
 */

export interface ForecastRow {
  scope: 'total' | 'feature';
  scope_value: string | null;
  target_month: string;
  horizon_months: number;
  method: string;
  history_days: number;
  data_weight: number;
  actual_to_date_usd: string;
  mean_usd: string;
  lo80_usd: string;
  hi80_usd: string;
  lo95_usd: string;
  hi95_usd: string;
}

export interface ForecastJobResult extends JobResult {
  job: 'forecast';
  run_date: string;
  forecasts: ForecastRow[];
  /** Scopes that could not be forecast, each with the reason. */
  skipped: { scope: string; scope_value: string | null; reason: string }[];
  /** Forecast rows of closed months scored (or rescored after late data) by this run. */
  scored: number;
}

/** Days of history each refit reads: a year and a month, enough for a weekly pattern and a year's level shifts. */
export const historyDays = 400;
/** Months projected: the month in progress and the next three. */
export const monthsAhead = 3;
/** Closed months looked back on when scoring. */
export const scoringMonths = 13;
const samplePaths = 1000;

export async function runForecast(context: JobContext): Promise<ForecastJobResult> {
  const { engine, config, asOf } = context;
  const labels = { job: 'forecast' };
  const fittedAt = context.now().toISOString();
  const months = Array.from({ length: monthsAhead + 1 }, (_, k) => addMonths(asOf.slice(0, 7), k));
  const end = monthRange(months.at(-1)!).to;
  const horizon = daysBetween(asOf, end);

  const rows = await engine.query(
    sqlFile('forecast/daily_spend_by_feature.sql'),
    { from: addDays(asOf, -historyDays), to: asOf },
    { labels },
  );
  const series = dailySeries(rows, asOf);

  const forecasts: ForecastRow[] = [];
  const skipped: ForecastJobResult['skipped'] = [];
  for (const s of series) {
    const fermi = s.scope === 'feature' ? featureConfig(config, s.scope_value).fermi : null;
    let forecast: SpendForecast;
    try {
      forecast = forecastDailySpend(s.values, { horizon, paths: samplePaths, seed: 1, fermi });
    } catch (error) {
      if (!(error instanceof ForecastInputError)) throw error;
      skipped.push({ scope: s.scope, scope_value: s.scope_value, reason: error.message });
      continue;
    }
    months.forEach((month, k) => {
      const range = monthRange(month);
      const from = Math.max(0, daysBetween(asOf, range.from));
      const to = daysBetween(asOf, range.to);
      const known = k === 0 ? s.monthToDate : 0n;
      const total = spendTotal(forecast, from, to, Number(fromNanos(known)), [80, 95]);
      forecasts.push({
        scope: s.scope,
        scope_value: s.scope_value,
        target_month: range.from,
        horizon_months: k,
        method: forecast.method,
        history_days: s.values.length,
        data_weight: forecast.dataWeight,
        actual_to_date_usd: fromNanos(known),
        // the known part stays exact; only the forecast part passes through floating point
        mean_usd: usd(known, total.mean - Number(fromNanos(known))),
        lo80_usd: usd(known, total.intervals[80]!.lo - Number(fromNanos(known))),
        hi80_usd: usd(known, total.intervals[80]!.hi - Number(fromNanos(known))),
        lo95_usd: usd(known, total.intervals[95]!.lo - Number(fromNanos(known))),
        hi95_usd: usd(known, total.intervals[95]!.hi - Number(fromNanos(known))),
      });
    });
  }

  const table = 'forecasts';
  const scoringRange = { from: addMonths(asOf.slice(0, 7), -scoringMonths) + '-01', to: asOf.slice(0, 7) + '-01' };
  const { sql, params } = literalRows(table, forecasts.map((f) => ({ run_date: asOf, ...f, fitted_at: fittedAt })));
  await engine.replaceRange(table, { from: asOf, to: addDays(asOf, 1) }, sql, params, { labels });

  await engine.query(
    sqlFile('forecast/score_closed_months.sql'),
    { ...scoringRange, scored_at: fittedAt },
    { labels },
  );
  const scored = await countScoredAt(context, fittedAt, scoringRange);

  return { job: 'forecast', as_of: asOf, findings: [], run_date: asOf, forecasts, skipped, scored };
}

interface DailySeries {
  scope: 'total' | 'feature';
  scope_value: string | null;
  /** Spend per day in USD, from the scope's first day with spend to the day before the run, zeros filled in. */
  values: number[];
  /** Exact spend in the run's month before the run day, in nano-dollars. */
  monthToDate: bigint;
}

/** Dense daily series per feature and in total, from the rows of daily_spend_by_feature.sql. */
export function dailySeries(rows: Row[], asOf: string): DailySeries[] {
  const monthStart = asOf.slice(0, 7) + '-01';
  const byFeature = new Map<string | null, Map<string, bigint>>();
  for (const row of rows) {
    const feature = row.feature === null ? null : String(row.feature);
    const days = byFeature.get(feature) ?? new Map<string, bigint>();
    days.set(String(row.day), (days.get(String(row.day)) ?? 0n) + toNanos(String(row.spend_usd)));
    byFeature.set(feature, days);
  }
  const totals = new Map<string, bigint>();
  for (const days of byFeature.values()) for (const [day, nanos] of days) totals.set(day, (totals.get(day) ?? 0n) + nanos);

  const dense = (days: Map<string, bigint>) => {
    const spent = [...days.entries()].filter(([, nanos]) => nanos !== 0n).map(([day]) => day).sort();
    if (spent.length === 0) return undefined;
    const first = spent[0]!;
    const length = daysBetween(first, asOf);
    const values = Array.from({ length }, (_, i) => Number(fromNanos(days.get(addDays(first, i)) ?? 0n)));
    let monthToDate = 0n;
    for (const [day, nanos] of days) if (day >= monthStart && day < asOf) monthToDate += nanos;
    return { values, monthToDate };
  };
  const out: DailySeries[] = [];
  const total = dense(totals);
  if (total) out.push({ scope: 'total', scope_value: null, ...total });
  const features = [...byFeature.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  for (const feature of features) {
    const series = dense(byFeature.get(feature)!);
    if (series) out.push({ scope: 'feature', scope_value: feature, ...series });
  }
  return out;
}

/** Rows scored by the run that stamped them `at`: among the run dates score_closed_months.sql updates, no others. */
async function countScoredAt(context: JobContext, at: string, range: DayRange): Promise<number> {
  const [row] = await context.engine.query(
    `select count(*) as n from {{ table(forecasts) }}
     where run_date >= {{ add_days(cast(@from as date), -100) }} and run_date < cast(@to as date)
       and scored_at = cast(@at as timestamp)`,
    { at, ...range },
    { labels: { job: 'forecast' } },
  );
  return Number(row?.n ?? 0);
}

/** An amount for the ledger: exact known nano-dollars plus a forecast part, at most 9 decimal places, never below zero. */
function usd(known: bigint, forecastPart: number): string {
  const nanos = known + BigInt(Math.round(Math.max(forecastPart, 0) * 1e9));
  return fromNanos(nanos < 0n ? 0n : nanos);
}
