import type { FinopsConfig } from '../config/finops-config.js';
import { featureConfig } from '../config/finops-config.js';
import { EngineError } from '../errors.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatUsd } from '../money.js';
import { addDays, daysBetween, monthRange } from '../time/days.js';
import { lookbackWindow, type DetectContext, type Detector } from './detector.js';
import { daysPerMonth, rounded, usd } from './estimates.js';
import { dayModelRows, outcomeDayRows, type DayModelRow, type OutcomeDayRow } from './ledger-reads.js';
import { daysOf, groupBy, total } from './series.js';
import { bestStep } from './stats/change-point.js';
import { runs } from './stats/runs.js';

/**
 * budget_overrun, said while there is still time to act. Two signals per feature, each from config:
 *
 * - Cost per unit (budget_per_unit_usd): spend / units over the last 7 days of the budget window, where a unit is
 *   a succeeded outcome or an ok logical request (the feature's `unit`, else outcomes if it logs any in the window,
 *   as the rollup decides). Above the budget is a warn. Onset: where the daily cost per unit stepped up across the
 *   budget (best single step), else the first day of the trailing run of days above it. Impact: the excess per unit
 *   x the units of a month.
 * - The month (monthly_budget_usd): the month of the as-of day's eve, projected to its end. The projection is the
 *   latest weekly forecast of the feature's month (the forecast job's `forecasts` table) when there is one, else
 *   the run rate: spend so far + the mean daily spend of the last 14 days x the days left. Above the budget is a
 *   warn, from the first day of the month on which the run-rate projection crossed it. Impact: the projected
 *   overrun. A closed month (as-of on the 1st) is judged on its actual spend and stored as resolved.
 */

export const budgetOverrun: Detector = {
  name: 'budget_overrun',
  kinds: ['budget_overrun'],
  lookbackDays: (config) => config.detectors.lookback_days.budget,
  detect: async (context) => {
    const { asOf, config } = context;
    const window = lookbackWindow(asOf, config.detectors.lookback_days.budget);
    const rows = await dayModelRows(context);
    const outcomes = await outcomeDayRows(context, window.from, window.to);
    const month = addDays(asOf, -1).slice(0, 7);
    const forecasts = await latestForecasts(context, month);
    return [
      ...unitOverruns(rows.filter((r) => r.day >= window.from && r.day < window.to), outcomes, config, window.from, window.to),
      ...monthOverruns(rows, forecasts, config, asOf),
    ];
  },
};

/** Findings on cost per unit from given rows over the days [from, to). Exported for tests on given rows. */
export function unitOverruns(rows: readonly DayModelRow[], outcomes: readonly OutcomeDayRow[], config: FinopsConfig, from: string, to: string): DetectedFinding[] {
  const findings: DetectedFinding[] = [];
  const days = daysOf(from, to);
  const features = [...new Set(rows.map((r) => r.feature).filter((f): f is string => f !== null))].sort();
  for (const feature of features) {
    const settings = featureConfig(config, feature);
    if (settings.budget_per_unit_usd === null) continue;
    const budget = Number(settings.budget_per_unit_usd);
    const mine = rows.filter((r) => r.feature === feature);
    const myOutcomes = outcomes.filter((o) => o.feature === feature);
    const unit = settings.unit ?? (total(myOutcomes, (o) => o.outcomes) > 0 ? 'outcomes' : 'calls');
    const spendByDay = groupBy(mine, (r) => r.day);
    const outcomesByDay = groupBy(myOutcomes, (o) => o.day);
    const daily = days.map((day) => ({
      day,
      spend: total(spendByDay.get(day) ?? [], (r) => r.spend_usd),
      units: unit === 'outcomes' ? total(outcomesByDay.get(day) ?? [], (o) => o.outcomes) : total(spendByDay.get(day) ?? [], (r) => r.ok_requests),
    }));
    const week = daily.slice(-7);
    const weekUnits = total(week, (d) => d.units);
    if (weekUnits === 0) continue;
    const current = total(week, (d) => d.spend) / weekUnits;
    if (current <= budget) continue;

    const valid = daily.filter((d) => d.units > 0);
    const cpu = valid.map((d) => d.spend / d.units);
    const step = bestStep(cpu, 3);
    let onset: string;
    if (step && step.before <= budget && step.after > budget) onset = valid[step.index]!.day;
    else {
      const trailing = runs(cpu.map((c) => c > budget), 1).at(-1);
      onset = trailing && trailing.end >= cpu.length - 2 ? valid[trailing.start]!.day : valid.at(-1)!.day;
    }
    const unitsMonth = (weekUnits / 7) * daysPerMonth;
    const impact = (current - budget) * unitsMonth;
    const unitName = settings.unit_name ?? (unit === 'outcomes' ? 'outcome' : 'call');
    findings.push({
      key: findingKey('budget_overrun', feature, 'unit'),
      kind: 'budget_overrun',
      severity: 'warn',
      feature,
      subject: 'cost per unit',
      first_seen: dayStamp(onset),
      last_seen: dayStamp(valid.at(-1)!.day),
      impact_usd_month: usd(impact),
      summary:
        `${feature} costs ${formatUsd(usd(current))} per ${unitName} against a budget of ${formatUsd(settings.budget_per_unit_usd)} ` +
        `(since ${onset}): ${formatUsd(usd(impact))} a month over at its current volume.`,
      evidence: {
        unit,
        unit_name: unitName,
        cost_per_unit_usd: usd(current),
        budget_per_unit_usd: settings.budget_per_unit_usd,
        units_last_7_days: weekUnits,
        spend_last_7_days_usd: usd(total(week, (d) => d.spend)),
        overrun_usd_month: usd(impact),
      },
      ongoing: true,
    });
  }
  return findings;
}

/** The latest weekly forecast of each feature's month, if the forecast job has written any. */
export interface FeatureForecast {
  feature: string;
  run_date: string;
  mean_usd: number;
  method: string;
}

/**
 * Reads the latest forecasts (sql/detect/latest_feature_forecasts.sql). The forecast job may not have run, or not
 * exist in this deployment: then there is no table, and budget_overrun uses the run rate alone.
 */
async function latestForecasts(context: DetectContext, month: string): Promise<FeatureForecast[]> {
  try {
    const rows = await context.reader.rows('detect/latest_feature_forecasts.sql', {
      from: addDays(context.asOf, -14),
      as_of: context.asOf,
      month: month + '-01',
    });
    return rows.map((r) => ({ feature: String(r.feature), run_date: String(r.run_date), mean_usd: Number(r.mean_usd), method: String(r.method) }));
  } catch (error) {
    if (error instanceof EngineError) return [];
    throw error;
  }
}

/** Findings on the month's budget. Exported for tests on given rows. */
export function monthOverruns(rows: readonly DayModelRow[], forecasts: readonly FeatureForecast[], config: FinopsConfig, asOf: string): DetectedFinding[] {
  const findings: DetectedFinding[] = [];
  const lastDay = addDays(asOf, -1);
  const month = lastDay.slice(0, 7);
  const range = monthRange(month);
  const features = [...new Set(rows.map((r) => r.feature).filter((f): f is string => f !== null))].sort();
  for (const feature of features) {
    const settings = featureConfig(config, feature);
    if (settings.monthly_budget_usd === null) continue;
    const budget = Number(settings.monthly_budget_usd);
    const byDay = groupBy(rows.filter((r) => r.feature === feature), (r) => r.day);
    const spendOn = (day: string) => total(byDay.get(day) ?? [], (r) => r.spend_usd);

    // the run-rate projection as the daily job would have made it on the morning after each day of the month
    const projections = daysOf(range.from, asOf).map((day) => {
      const soFar = total(daysOf(range.from, addDays(day, 1)), spendOn);
      const rate = total(daysOf(addDays(day, -13), addDays(day, 1)), spendOn) / 14;
      return { day, soFar, rate, projection: soFar + rate * daysBetween(addDays(day, 1), range.to) };
    });
    const today = projections.at(-1)!;
    const forecast = forecasts.find((f) => f.feature === feature);
    const closed = asOf === range.to;
    const projection = closed ? today.soFar : (forecast?.mean_usd ?? today.projection);
    if (projection <= budget) continue;
    const onset = projections.find((p) => p.projection > budget)?.day ?? lastDay;
    const basis = closed ? 'actual' : forecast ? `forecast of ${forecast.run_date} (${forecast.method})` : 'run rate of the last 14 days';
    findings.push({
      key: findingKey('budget_overrun', feature, month),
      kind: 'budget_overrun',
      severity: 'warn',
      feature,
      subject: month,
      first_seen: dayStamp(onset),
      last_seen: dayStamp(lastDay),
      impact_usd_month: usd(projection - budget),
      summary: closed
        ? `${feature} spent ${formatUsd(usd(projection))} in ${month} against its budget of ${formatUsd(settings.monthly_budget_usd)}.`
        : `${feature} is on course to spend ${formatUsd(usd(projection))} in ${month} against its budget of ${formatUsd(settings.monthly_budget_usd)} ` +
          `(${formatUsd(usd(today.soFar))} so far, ${formatUsd(usd(today.rate))} a day; ${basis}).`,
      evidence: {
        month,
        monthly_budget_usd: settings.monthly_budget_usd,
        spend_to_date_usd: usd(today.soFar),
        projected_usd: usd(projection),
        daily_run_rate_usd: usd(today.rate),
        run_rate_projection_usd: usd(today.projection),
        forecast_usd: forecast ? usd(forecast.mean_usd) : null,
        basis,
        days_left: daysBetween(asOf, range.to),
        projected_overrun_share: rounded(projection / budget - 1, 3),
      },
      ongoing: !closed,
    });
  }
  return findings;
}
