import type { FinopsConfig } from '../config/finops-config.js';
import type { Engine } from '../engine/engine.js';
import type { Finding } from '../findings/finding.js';
import { listFindings } from '../findings/store.js';
import { sumUsd } from '../money.js';
import { chargebackReport, type Chargeback } from '../reports/chargeback.js';
import { costPerOutcomeReport, unitNamesFrom, type CostPerOutcomeRow } from '../reports/cost-per-outcome.js';
import { latestForecasts, type MonthForecast } from '../slack/forecasts.js';
import { adviceMaxAgeDays, forecastMonths, historyMonths, type AdviceRow } from '../slack/month-end-input.js';
import { sqlFile } from '../sql/files.js';
import { UsageError } from '../errors.js';
import { addDays, addMonths, dayOf, monthRange } from '../time/days.js';
import type { DailySpend } from './spend-chart.js';

/**
 * Everything the monthly dashboard shows, read from the ledger once; page.ts turns it into HTML without reading
 * anything else. Each part comes from the code that already computes it for the CLI and Slack (the cost-per-outcome
 * report, the chargeback, the stored findings, the latest forecast and advice runs), so the dashboard and the
 * terminal never disagree.
 */
export interface DashboardInput {
  /** `YYYY-MM`. */
  month: string;
  /**
   * The day the dashboard reads as of (as a job's --as-of: the days before it): the day after the month for a
   * closed month, today for the month in progress.
   */
  asOf: string;
  /** The month is still in progress: its figures are to date. */
  inProgress: boolean;
  /** The cost-per-outcome report's rows, each with what its unit of work is called. */
  costPerOutcome: (CostPerOutcomeRow & { unit_name: string })[];
  /** Spend per day and feature over the month. */
  dailySpend: DailySpend[];
  /** Total spend of each month before this one, oldest first: up to twelve, for the fan chart. */
  history: { month: string; usd: string }[];
  /** The latest forecasts (run on or before the as-of day) of this month and the three after it, total first. */
  forecasts: MonthForecast[];
  /** The open findings, by monthly impact. */
  findings: Finding[];
  /** The month's bill per segment. */
  chargeback: Chargeback;
  /** The latest advise run's advice, largest saving first. */
  advice: AdviceRow[];
}

export async function dashboardInput(engine: Engine, config: FinopsConfig, month: string, now: Date): Promise<DashboardInput> {
  const range = monthRange(month);
  const today = dayOf(now);
  if (range.from >= today) throw new UsageError(`--month ${month} has not begun (today is ${today}, UTC): pick this month or an earlier one`);
  const inProgress = range.to > today;
  const asOf = inProgress ? today : range.to;
  const labels = { labels: { job: 'report' } };
  const unitName = unitNamesFrom(config);

  const costPerOutcome = (await costPerOutcomeReport(engine, month)).map((row) => ({ ...row, unit_name: unitName(row) }));
  const dailySpend = (await engine.query(sqlFile('forecast/daily_spend_by_feature.sql'), { from: range.from, to: range.to }, labels)) as unknown as DailySpend[];
  const monthlySpend = await engine.query(
    sqlFile('slack/monthly_spend_by_feature.sql'),
    { from: monthRange(addMonths(month, -historyMonths)).from, to: range.from },
    labels,
  );
  const months = [...new Set(monthlySpend.map((r) => String(r.month)))].sort();
  const history = months.map((m) => ({ month: m, usd: sumUsd(monthlySpend.filter((r) => String(r.month) === m).map((r) => String(r.spend_usd))) }));
  const context = { engine, config, asOf, now: () => now };
  const advice = await engine.query(sqlFile('slack/latest_advice.sql'), { from: addDays(asOf, -adviceMaxAgeDays), as_of: asOf }, labels);

  return {
    month,
    asOf,
    inProgress,
    costPerOutcome,
    dailySpend,
    history,
    forecasts: await latestForecasts(context, 'report', range.from, forecastMonths),
    findings: await listFindings(engine, 'open'),
    chargeback: await chargebackReport(engine, month, 'segment'),
    advice: advice as unknown as AdviceRow[],
  };
}
