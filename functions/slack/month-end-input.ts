import { featureConfig } from '../config/finops-config.js';
import type { Row } from '../engine/engine.js';
import type { JobContext } from '../jobs/context.js';
import { sumUsd, toNanos } from '../money.js';
import { forecastAccuracyReport, type ForecastAccuracyRow } from '../reports/forecast-accuracy.js';
import { sqlFile } from '../sql/files.js';
import { addDays, monthRange } from '../time/days.js';
import { forecastFromRow, latestForecasts, type MonthForecast } from './forecasts.js';

/**
 * What the month-end report says, read from the ledger on the 1st: the month that just closed against what was
 * forecast for it, how far the forecasts have deserved trust so far (running coverage), where this month and the
 * next ones are heading per feature and in total, the monthly history for the fan chart, and the latest advice.
 * month-end.ts turns it into a message without reading anything else.
 */

/** A closed month's actual against the forecast of record for it, for the total or one feature. */
export interface ClosedMonthScope {
  /** null for the total (scope 'total'), and for the calls with no feature. */
  feature: string | null;
  scope: 'total' | 'feature';
  actual_usd: string;
  /**
   * The forecast of record: the month's first weekly forecast made inside the month (horizon 0, a few days of
   * actuals known), else the last one made before it began. null: never forecast.
   */
  forecast: MonthForecast | null;
  /** Whether the actual fell inside that forecast's 80% interval. */
  inside80: boolean | null;
  /** The weekly forecasts made of the month, and how many of them held the actual inside their 80% interval. */
  forecasts: number;
  forecastsInside80: number;
}

export interface AdviceRow {
  run_date: string;
  key: string;
  /** routing, caching, commit, fine_tune or self_host. */
  advisor: string;
  feature: string | null;
  subject: string | null;
  summary: string;
  saving_usd_month: string | null;
}

export interface MonthEndInput {
  asOf: string;
  /** The closed month, `YYYY-MM`: the month before the as-of day's (on the 1st, the month of the day before). */
  closedMonth: string;
  /** The total first, then each feature with spend or a forecast in the month. */
  closed: ClosedMonthScope[];
  /** The forecast accuracy report's rows for the total, over the scored months up to the closed one. */
  coverage: ForecastAccuracyRow[];
  /** The latest forecasts of the as-of month and the months after it, total first, then per feature. */
  forecasts: MonthForecast[];
  /** Monthly budgets from config, per feature that has one. */
  budgets: { feature: string; monthly_budget_usd: string }[];
  /** Total spend of each closed month, oldest first, for the chart: up to `historyMonths`, the closed month last. */
  history: { month: string; usd: string }[];
  /** The latest advise run's advice, largest saving first. */
  advice: AdviceRow[];
}

/** Closed months drawn in the chart. */
export const historyMonths = 12;
/** Months forecast: the as-of month and the next three, as the forecast job projects. */
export const forecastMonths = 4;
/** Advice older than this is not reported: the advise run is part of the month-end job. */
export const adviceMaxAgeDays = 45;

export async function monthEndInput(context: JobContext): Promise<MonthEndInput> {
  const { engine, config, asOf } = context;
  const labels = { labels: { job: 'month-end' } };
  const thisMonth = asOf.slice(0, 7) + '-01';
  const closedMonth = previousMonth(thisMonth);
  const closedRange = monthRange(closedMonth.slice(0, 7));
  let historyFrom = closedMonth;
  for (let k = 1; k < historyMonths; k++) historyFrom = previousMonth(historyFrom);

  const spendRows = await engine.query(sqlFile('slack/monthly_spend_by_feature.sql'), { from: historyFrom, to: thisMonth }, labels);
  const madeRows = await engine.query(sqlFile('slack/forecasts_of_month.sql'), { month: closedRange.from, month_end: closedRange.to }, labels);
  const adviceRows = await engine.query(sqlFile('slack/latest_advice.sql'), { from: addDays(asOf, -adviceMaxAgeDays), as_of: asOf }, labels);
  const coverage = (await forecastAccuracyReport(engine, { to: closedRange.to })).filter((r) => r.scope === 'total');

  const months = [...new Set(spendRows.map((r) => String(r.month)))].sort();
  const history = months.map((month) => ({ month, usd: sumUsd(spendRows.filter((r) => String(r.month) === month).map((r) => String(r.spend_usd))) }));
  const closedSpend = spendRows.filter((r) => String(r.month) === closedRange.from);
  const made = madeRows.map(forecastFromRow);

  const total = closedScope('total', null, history.find((h) => h.month === closedRange.from)?.usd ?? '0.000000000', made, closedRange.from);
  const featureNames = [...new Set([...closedSpend.map((r) => text(r.feature)), ...made.filter((f) => f.scope === 'feature').map((f) => f.scope_value)])];
  const features = featureNames.map((feature) =>
    closedScope('feature', feature, String(closedSpend.find((r) => text(r.feature) === feature)?.spend_usd ?? '0.000000000'), made, closedRange.from),
  );
  features.sort((a, b) => Number(b.actual_usd) - Number(a.actual_usd) || Number(a.feature === null) - Number(b.feature === null));

  return {
    asOf,
    closedMonth: closedMonth.slice(0, 7),
    closed: [total, ...features],
    coverage,
    forecasts: await latestForecasts(context, 'month-end', thisMonth, forecastMonths),
    budgets: Object.keys(config.features)
      .map((feature) => ({ feature, monthly_budget_usd: featureConfig(config, feature).monthly_budget_usd }))
      .filter((b): b is { feature: string; monthly_budget_usd: string } => b.monthly_budget_usd !== null),
    history,
    advice: adviceRows.map((row) => ({
      run_date: String(row.run_date),
      key: String(row.key),
      advisor: String(row.advisor),
      feature: text(row.feature),
      subject: text(row.subject),
      summary: String(row.summary),
      saving_usd_month: text(row.saving_usd_month),
    })),
  };
}

function closedScope(scope: 'total' | 'feature', feature: string | null, actual: string, made: MonthForecast[], month: string): ClosedMonthScope {
  const mine = made.filter((f) => f.scope === scope && f.scope_value === feature);
  const inMonth = mine.filter((f) => f.run_date >= month);
  const forecast = inMonth[0] ?? mine.filter((f) => f.run_date < month).at(-1) ?? null;
  const inside = (f: MonthForecast) => toNanos(actual) >= toNanos(f.lo80_usd) && toNanos(actual) <= toNanos(f.hi80_usd);
  return {
    feature,
    scope,
    actual_usd: actual,
    forecast,
    inside80: forecast === null ? null : inside(forecast),
    forecasts: mine.length,
    forecastsInside80: mine.filter(inside).length,
  };
}

/** The first day of the month before the month starting `monthStart`. */
function previousMonth(monthStart: string): string {
  return addDays(monthStart, -1).slice(0, 7) + '-01';
}

function text(value: Row[string] | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
