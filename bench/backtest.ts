import { mean, median } from 'simple-statistics';
import { forecastSeries, forecastSum, type ForecastOptions } from '../functions/forecast/forecast-series.js';

/**
 * Rolling-origin evaluation (Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16(4); FPP3
 * section 5.10): for each series, forecast from several origins near its end using only the data before each
 * origin, and compare with what happened. Accuracy by MASE (Hyndman & Koehler 2006, IJF 22(4): mean absolute error
 * over the in-sample mean absolute seasonal difference, so 1.0 is as good as the seasonal naive method was in
 * sample) and sMAPE (the M3 competition's; Makridakis & Hibon 2000); calibration by the share of actuals inside
 * the 80% and 95% intervals, per step ahead.
 */

export interface BacktestSeries {
  name: string;
  /** A group the figures are reported by: 'synthetic daily', 'monthly', … */
  group: string;
  period: number;
  values: number[];
  horizon: number;
  /** How many forecast origins, ending at n − horizon, `step` apart. */
  origins: number;
  step: number;
}

export type Method = 'ets' | 'naive' | 'seasonal naive';

/** One forecast from one origin: the errors and interval hits per step ahead. */
export interface OriginResult {
  series: string;
  group: string;
  method: Method;
  /** |error| / in-sample MAE of the seasonal naive method, per step. */
  scaledErrors: number[];
  /** 200 |error| / (|actual| + |forecast|), per step (0 when both are 0). */
  smape: number[];
  in80: boolean[];
  in95: boolean[];
  /** For the total over the horizon: actual inside the 80% / 95% interval of the simulated sums. */
  sumIn80: boolean;
  sumIn95: boolean;
  /** Where the actual total fell against the 80% interval: −1 below, 0 inside, 1 above. */
  sumSide80: -1 | 0 | 1;
  /** Width of the total's 80% interval over the forecast total (0.1: ±5%). */
  sumWidth80: number;
  /** The model chosen, for ets. */
  chosen: string;
}

export const methods: Method[] = ['ets', 'seasonal naive', 'naive'];

/** Runs every method from every origin of one series. */
export function backtestSeries(series: BacktestSeries, only: readonly Method[] = methods, paths = 1000): OriginResult[] {
  const results: OriginResult[] = [];
  const n = series.values.length;
  for (let k = series.origins - 1; k >= 0; k--) {
    const origin = n - series.horizon - k * series.step;
    if (origin < Math.max(8, series.period + 2)) continue;
    const train = series.values.slice(0, origin);
    const actual = series.values.slice(origin, origin + series.horizon);
    const scale = seasonalNaiveScale(train, series.period);
    if (!(scale > 0)) continue;
    for (const method of only) {
      const options: ForecastOptions = {
        horizon: series.horizon,
        season: method === 'naive' ? 1 : series.period,
        levels: [80, 95],
        paths,
        seed: 1,
        keepPaths: true,
        method: method === 'ets' ? 'auto' : 'seasonal naive',
      };
      const forecast = forecastSeries(train, options);
      const total = forecastSum(forecast, { from: 0, to: series.horizon });
      const actualTotal = actual.reduce((a, b) => a + b, 0);
      results.push({
        series: series.name,
        group: series.group,
        method,
        scaledErrors: actual.map((a, h) => Math.abs(a - forecast.mean[h]!) / scale),
        smape: actual.map((a, h) => {
          const f = forecast.mean[h]!;
          const denominator = Math.abs(a) + Math.abs(f);
          return denominator === 0 ? 0 : (200 * Math.abs(a - f)) / denominator;
        }),
        in80: actual.map((a, h) => a >= forecast.intervals[80]!.lo[h]! && a <= forecast.intervals[80]!.hi[h]!),
        in95: actual.map((a, h) => a >= forecast.intervals[95]!.lo[h]! && a <= forecast.intervals[95]!.hi[h]!),
        sumIn80: actualTotal >= total.intervals[80]!.lo && actualTotal <= total.intervals[80]!.hi,
        sumIn95: actualTotal >= total.intervals[95]!.lo && actualTotal <= total.intervals[95]!.hi,
        sumSide80: actualTotal < total.intervals[80]!.lo ? -1 : actualTotal > total.intervals[80]!.hi ? 1 : 0,
        sumWidth80: (total.intervals[80]!.hi - total.intervals[80]!.lo) / Math.abs(total.mean),
        chosen: forecast.method,
      });
    }
  }
  return results;
}

/** The in-sample mean absolute error of the seasonal naive method (naive for m = 1): MASE's denominator. */
export function seasonalNaiveScale(train: readonly number[], period: number): number {
  const m = train.length > period ? period : 1;
  const differences: number[] = [];
  for (let t = m; t < train.length; t++) differences.push(Math.abs(train[t]! - train[t - m]!));
  return differences.length > 0 ? mean(differences) : NaN;
}

export interface Summary {
  forecasts: number;
  series: number;
  /** Mean over series of each series' mean scaled error. */
  mase: number;
  smape: number;
  coverage80: number;
  coverage95: number;
  sumCoverage80: number;
  sumCoverage95: number;
  /** Shares of forecasts whose actual total fell below / above the 80% interval. */
  sumBelow80: number;
  sumAbove80: number;
  /** Median width of the total's 80% interval, relative to the forecast total. */
  sumWidth80: number;
}

/** Figures over a set of results, optionally for steps [fromStep, toStep) ahead only (1-based, inclusive ends). */
export function summarize(results: readonly OriginResult[], steps?: { from: number; to: number }): Summary {
  const pick = <T>(values: T[]) => (steps ? values.slice(steps.from - 1, steps.to) : values);
  const bySeries = new Map<string, number[]>();
  const smapes: number[] = [];
  let hits80 = 0;
  let hits95 = 0;
  let count = 0;
  for (const r of results) {
    const errors = pick(r.scaledErrors);
    const list = bySeries.get(r.series) ?? [];
    list.push(...errors);
    bySeries.set(r.series, list);
    smapes.push(...pick(r.smape));
    for (const hit of pick(r.in80)) hits80 += hit ? 1 : 0;
    for (const hit of pick(r.in95)) hits95 += hit ? 1 : 0;
    count += errors.length;
  }
  const perSeries = [...bySeries.values()].filter((e) => e.length > 0).map((e) => mean(e));
  return {
    forecasts: results.length,
    series: bySeries.size,
    mase: perSeries.length ? mean(perSeries) : NaN,
    smape: smapes.length ? mean(smapes) : NaN,
    coverage80: count ? hits80 / count : NaN,
    coverage95: count ? hits95 / count : NaN,
    sumCoverage80: results.length ? results.filter((r) => r.sumIn80).length / results.length : NaN,
    sumCoverage95: results.length ? results.filter((r) => r.sumIn95).length / results.length : NaN,
    sumBelow80: results.length ? results.filter((r) => r.sumSide80 < 0).length / results.length : NaN,
    sumAbove80: results.length ? results.filter((r) => r.sumSide80 > 0).length / results.length : NaN,
    sumWidth80: results.length ? median(results.map((r) => r.sumWidth80)) : NaN,
  };
}
