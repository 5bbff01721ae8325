import type { FermiPrior } from '../config/finops-config.js';
import { ForecastInputError } from './errors.js';
import { blendPaths, dataWeight, fermiDailySpend, fermiPaths, logNormalMean } from './fermi.js';
import { forecastSeries } from './forecast-series.js';
import { pathSums, sampleInterval } from './intervals.js';
import { normalSampler } from './normal-draws.js';
import { mulberry32 } from './prng.js';

/** A daily spend forecast as sample paths, ready to be summed over months. */
export interface SpendForecast {
  method: string;
  /** Weight of the data against the Fermi prior (1: data only). */
  dataWeight: number;
  /** The point forecast per day. */
  mean: Float64Array;
  /** Sample paths, path after path, `horizon` days each. */
  paths: Float64Array;
  count: number;
  horizon: number;
}

export interface SpendForecastOptions {
  horizon: number;
  paths?: number;
  seed?: number;
  /** The feature's Fermi prior, used while it has under 28 days of data. */
  fermi?: FermiPrior | null;
}

/**
 * Forecasts a daily spend series for the forecast job: forecastSeries with a weekly season and a floor at zero,
 * blended with the Fermi prior while the history is under 28 days and a prior is configured (fermi.ts): the
 * prior's weight falls as days arrive, and with fewer than 2 days of data the prior alone speaks.
 *
 * @param values daily spend in USD, oldest first, one per day up to the day before the forecast starts
 * @throws ForecastInputError when there are too few days and no prior to fall back on
 */
export function forecastDailySpend(values: readonly number[], options: SpendForecastOptions): SpendForecast {
  const count = options.paths ?? 1000;
  const horizon = options.horizon;
  const weight = options.fermi ? dataWeight(values.length) : 1;
  const prior = options.fermi ? fermiDailySpend(options.fermi) : undefined;

  if (prior && (weight === 0 || values.length < 2)) {
    const normal = normalSampler(mulberry32((options.seed ?? 1) + 1));
    return {
      method: 'fermi',
      dataWeight: 0,
      mean: new Float64Array(horizon).fill(logNormalMean(prior)),
      paths: fermiPaths(prior, horizon, count, normal),
      count,
      horizon,
    };
  }
  const data = forecastSeries(values, { horizon, season: 7, paths: count, seed: options.seed ?? 1, lowerBound: 0, keepPaths: true, stepIntervals: false });
  const dataPaths = new Float64Array(count * horizon);
  data.paths!.forEach((path, p) => dataPaths.set(path, p * horizon));
  const dataMean = Float64Array.from(data.mean);
  if (!prior || weight >= 1) return { method: data.method, dataWeight: 1, mean: dataMean, paths: dataPaths, count, horizon };

  const normal = normalSampler(mulberry32((options.seed ?? 1) + 1));
  const priorMean = logNormalMean(prior);
  return {
    method: `fermi+${data.method}`,
    dataWeight: weight,
    mean: dataMean.map((m) => weight * m + (1 - weight) * priorMean),
    paths: blendPaths(dataPaths, fermiPaths(prior, horizon, count, normal), horizon, weight),
    count,
    horizon,
  };
}

/** A total over days, known part included: its point forecast and interval ends per level. */
export interface SpendTotal {
  mean: number;
  intervals: Record<number, { lo: number; hi: number }>;
}

/**
 * The forecast of spend over days [from, to) of a SpendForecast plus an amount already spent: month-end spend is
 * month-to-date actuals (known, no uncertainty) plus the sum of the days left, whose interval comes from summing
 * each sample path (never from adding daily quantiles).
 *
 * @example
 * spendTotal(forecast, 0, 20, 1500.25, [80, 95]).intervals[95]; // { lo, hi } of the month's total
 */
export function spendTotal(forecast: SpendForecast, from: number, to: number, known: number, levels: readonly number[]): SpendTotal {
  if (from < 0 || to > forecast.horizon || from > to) {
    throw new ForecastInputError('bad_option', `days [${from}, ${to}) are outside the forecast's ${forecast.horizon} days`);
  }
  const sums = pathSums(forecast.paths, forecast.count, forecast.horizon, from, to);
  for (let p = 0; p < sums.length; p++) sums[p]! += known;
  let mean = known;
  for (let h = from; h < to; h++) mean += forecast.mean[h]!;
  return { mean, intervals: sampleInterval(sums, levels) };
}
