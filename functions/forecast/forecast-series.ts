import { etsName, etsPointForecast } from './ets.js';
import { ForecastInputError } from './errors.js';
import type { EtsFit } from './fit.js';
import { interventionModel, replayInterventions } from './interventions.js';
import { pathIntervals, sampleInterval, type Band } from './intervals.js';
import { normalSampler } from './normal-draws.js';
import { mulberry32 } from './prng.js';
import { cleanSeries, type Cleaned, type LevelShift } from './robust.js';
import { seasonalNaive, type PathForecast } from './seasonal-naive.js';
import { modelWeights, selectEts } from './select.js';
import { simulateEts, type WeightedFit } from './simulate.js';
import { smoothingPosterior } from './smoothing-posterior.js';

export interface ForecastOptions {
  /** Steps ahead to forecast (a positive whole number). */
  horizon: number;
  /** The season length m: 7 for daily data with a weekly rhythm, 12 for monthly; 1 (the default) for none. */
  season?: number;
  /** Interval levels in percent (default [80, 95]). */
  levels?: readonly number[];
  /** Sample paths to simulate (default 1000). */
  paths?: number;
  /** Seed of the simulation (default 1): the same input and seed give the same output. */
  seed?: number;
  /**
   * The smallest possible value; forecasts and paths are censored there. Default: 0 when no observation is
   * negative (spend, counts), else no bound.
   */
  lowerBound?: number | null;
  /** Separate outliers and level shifts before fitting (default true). See robust.ts. */
  robust?: boolean;
  /** Compute the interval of every step (default true); false when only sums of steps are wanted (forecastSum). */
  stepIntervals?: boolean;
  /** Keep the sample paths in the result, for sums (default false). */
  keepPaths?: boolean;
  /** 'auto' (default): the best ETS model by AICc, seasonal naive if none fits; or force 'seasonal naive'. */
  method?: 'auto' | 'seasonal naive';
}

export interface SeriesForecast {
  /** 'ETS(M,Ad,M)', 'seasonal naive', 'naive' or 'constant'. */
  method: string;
  /** The point forecast per step. */
  mean: number[];
  /** Per level (80, 95, …), the central interval per step (empty arrays with stepIntervals: false). */
  intervals: Record<number, Band>;
  /** The simulated futures, one array of `horizon` values per path (with keepPaths). */
  paths?: Float64Array[];
  /** Observations the forecast rests on (not missing). */
  observations: number;
  /** What the robust step set aside, as indexes into the input. */
  adjustments: { outliers: number[]; levelShifts: LevelShift[] };
  /** Why a fallback method was used, when one was: a sentence for the person who asked. */
  note?: string;
  /** The fitted model, for ETS methods. */
  fit?: { params: EtsFit['params']; sigma: number; aicc: number };
}

/** Offsets of the seed for the draws of a path's parameters and of its interventions: streams apart from the innovations'. */
const parameterStream = 0x51ed27;
const interventionStream = 0x2545f491;

/** The shortest history the model family is tried on (the smallest, ETS(A,N,N), needs n > k + 1 = 4). */
export const modelObservations = 5;

/**
 * Forecasts one series with honest intervals: the public entry point used by the forecast job and the
 * `ai-finops forecast` command.
 *
 * What it does, in order: validate; drop leading missing values; set aside outliers and level shifts (robust.ts);
 * select an exponential smoothing model by AICc over the family that suits the data (select.ts); simulate sample
 * paths (simulate.ts); put back into them outliers and level shifts at the rate the history had them
 * (interventions.ts); read the intervals off the paths (intervals.ts). A history too short or too odd for any model
 * falls back to the (seasonal) naive method, and the method says so.
 *
 * The point forecast is the selected model's. The paths are drawn from the predictive distribution rather than
 * from the selected model alone: each path draws a model by its posterior probability (modelWeights), then a level
 * smoothing parameter by its likelihood (smoothingPosterior), then its future. The selected model with its
 * estimates plugged in is too sure of itself over a month: intervals of 28-day totals built that way covered the
 * actual total 71% (80% intervals) and 86% (95%) of the time on the generated daily series, and 57% and 71% on
 * short histories; per day they were right (80% and 93%), because a day's own noise dwarfs the uncertainty of the
 * level and of the incidents to come, and in a month's total, where days average out, it does not. With the
 * predictive paths and the interventions: 78% and 94%, and 73% and 93% (bench/forecast-results.md).
 *
 * Missing values (NaN) are allowed anywhere: the model steps over them. Values are in time order, equally spaced.
 *
 * Documented fallbacks for degenerate input: a constant history (all zeros, say) is forecast as that constant
 * with zero-width intervals (method 'constant'); 2 to 4 observations, or a history no model fits, get the naive
 * or seasonal naive method and a `note` saying so; negative values are allowed and switch off the default lower bound of zero and the
 * multiplicative models.
 *
 * @throws ForecastInputError: `empty` (no values), `too_short` (fewer than 2 observations), `not_finite` (an
 *   infinite value), `bad_option` (a horizon, season, level, path count or seed that is not usable)
 * @example
 * const f = forecastSeries([12, 15, 14, 18, 17, 21, 20], { horizon: 3 });
 * f.method; // e.g. 'ETS(A,N,N)'
 * f.intervals[95].lo.length; // 3
 */
export function forecastSeries(values: readonly number[] | Float64Array, options: ForecastOptions): SeriesForecast {
  const { horizon, season, levels, count, seed } = checkOptions(options);
  if (values.length === 0) throw new ForecastInputError('empty', 'the series is empty: give it at least 5 values');
  const all = Float64Array.from(values);
  for (let t = 0; t < all.length; t++) {
    if (all[t] === Infinity || all[t] === -Infinity) {
      throw new ForecastInputError('not_finite', `value ${t + 1} of the series is infinite: fix or remove it (a missing value may be left empty)`);
    }
  }
  let first = 0;
  while (first < all.length && Number.isNaN(all[first]!)) first++;
  const y = all.subarray(first);
  let observations = 0;
  let negative = false;
  let min = Infinity;
  let max = -Infinity;
  for (const v of y) {
    if (v !== v) continue;
    observations++;
    if (v < 0) negative = true;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (observations === 0) throw new ForecastInputError('empty', 'the series has no values, only missing ones: give it at least 5 values');
  if (observations < 2) {
    throw new ForecastInputError('too_short', 'the series has 1 observation: a forecast with intervals needs at least 2 (and 5 for a model)');
  }
  const lowerBound = options.lowerBound !== undefined ? options.lowerBound : negative ? null : 0;
  const normal = normalSampler(mulberry32(seed));
  const adjustments = { outliers: [] as number[], levelShifts: [] as LevelShift[] };

  let result: PathForecast;
  let fit: EtsFit | undefined;
  let note: string | undefined;
  if (min === max) {
    result = constantForecast(min, horizon, count);
  } else if (options.method === 'seasonal naive' || observations < modelObservations) {
    result = seasonalNaive(y, season, horizon, count, normal, lowerBound);
    if (options.method !== 'seasonal naive') {
      note = `${observations} observations are too few to fit a model (${modelObservations} are needed): ${result.method} method instead`;
    }
  } else {
    let history: Float64Array = y;
    let cleaned: Cleaned | undefined;
    if (options.robust ?? true) {
      cleaned = cleanSeries(y, season);
      history = cleaned.values;
      adjustments.outliers = cleaned.outliers.map((t) => t + first);
      adjustments.levelShifts = cleaned.shifts.map((s) => ({ ...s, at: s.at + first }));
    }
    let fits: EtsFit[] = [];
    try {
      ({ best: fit, fits } = selectEts(history, { period: season }));
    } catch {
      fit = undefined;
    }
    if (fit) {
      const mean = etsPointForecast(fit.spec, fit.params, fit.final, horizon);
      if (lowerBound !== null) for (let h = 0; h < horizon; h++) mean[h] = Math.max(mean[h]!, lowerBound);
      const paths = simulateEts(predictiveMixture(history, fits, count), horizon, count, normal, lowerBound, mulberry32(seed + parameterStream));
      result = { method: etsName(fit.spec), mean, paths, count, horizon };
    } else {
      result = seasonalNaive(history, season, horizon, count, normal, lowerBound);
      note = `no exponential smoothing model could be fitted: ${result.method} method instead`;
    }
    // the futures of the series as observed: with the outliers and shifts its history had (interventions.ts)
    if (cleaned) {
      const random = mulberry32(seed + interventionStream);
      replayInterventions(result.paths, count, horizon, interventionModel(cleaned), random, normalSampler(random), lowerBound);
    }
  }

  const forecast: SeriesForecast = {
    method: result.method,
    mean: Array.from(result.mean),
    intervals: options.stepIntervals === false ? emptyIntervals(levels) : pathIntervals(result.paths, count, horizon, levels),
    observations,
    adjustments,
  };
  if (note) forecast.note = note;
  if (fit) forecast.fit = { params: { ...fit.params }, sigma: Math.sqrt(fit.sigma2), aicc: fit.aicc };
  if (options.keepPaths) {
    forecast.paths = Array.from({ length: count }, (_, p) => result.paths.subarray(p * horizon, (p + 1) * horizon));
  }
  return forecast;
}

/** A total over future steps, and its intervals: the mean and central intervals of the simulated sums. */
export interface SumForecast {
  /** Known actuals plus the sum of the point forecasts over the steps. */
  mean: number;
  intervals: Record<number, { lo: number; hi: number }>;
}

/**
 * The forecast of a sum over future steps [from, to) (0-based), plus an amount already known: how month-end spend
 * is projected (month-to-date actuals, known exactly, plus the rest of the month, uncertain).
 *
 * Intuition: the interval of a sum is not the sum of the intervals. Days are partly independent, so their surprises
 * partly cancel, and a sum of daily 95% upper bounds is a total that almost never happens; days are also partly
 * dependent (a high level persists), which a sum of independent days would miss. Summing each simulated path
 * gets both right (FPP3 section 5.5; Hyndman et al. 2008, section 6.1). The known part shifts every sum equally
 * and adds no uncertainty.
 *
 * @param forecast a forecast made with keepPaths
 * @param range the steps to sum, [from, to)
 * @param known the amount already known (default 0)
 * @param levels interval levels in percent (default: those of the forecast)
 * @throws ForecastInputError (bad_option) if the forecast kept no paths or the range is outside its horizon
 * @example
 * const f = forecastSeries(daily, { horizon: 20, season: 7, keepPaths: true });
 * forecastSum(f, { from: 0, to: 20 }, 1234.5).intervals[80]; // { lo, hi } of the month-end total
 */
export function forecastSum(
  forecast: SeriesForecast,
  range: { from: number; to: number },
  known = 0,
  levels: readonly number[] = Object.keys(forecast.intervals).map(Number),
): SumForecast {
  const paths = forecast.paths;
  if (!paths) throw new ForecastInputError('bad_option', 'the interval of a sum needs the sample paths: forecast with keepPaths: true');
  const horizon = forecast.mean.length;
  if (!(range.from >= 0 && range.to <= horizon && range.from <= range.to)) {
    throw new ForecastInputError('bad_option', `steps [${range.from}, ${range.to}) are not within the forecast's ${horizon} steps`);
  }
  const sums = pathTotals(paths, range.from, range.to, known);
  let mean = known;
  for (let h = range.from; h < range.to; h++) mean += forecast.mean[h]!;
  return { mean, intervals: sampleInterval(sums, levels) };
}

/** known + the sum of each path over steps [from, to), read from the paths in place (no flat copy of them all). */
function pathTotals(paths: readonly Float64Array[], from: number, to: number, known: number): Float64Array {
  const sums = new Float64Array(paths.length);
  for (let p = 0; p < paths.length; p++) {
    const path = paths[p]!;
    let sum = 0;
    for (let h = from; h < to; h++) sum += path[h]!;
    sums[p] = sum + known;
  }
  return sums;
}

/**
 * The fits to draw sample paths from: the selected model (fits[0], the best AICc) and every other whose posterior
 * probability is worth half a path or more, each spread over its posterior for α, the weights multiplied (model
 * uncertainty, then parameter uncertainty).
 */
function predictiveMixture(history: Float64Array, fits: readonly EtsFit[], count: number): WeightedFit[] {
  const weights = modelWeights(fits);
  const mixture: WeightedFit[] = [];
  fits.forEach((f, i) => {
    if (i > 0 && weights[i]! * count < 0.5) return;
    for (const component of smoothingPosterior(history, f)) mixture.push({ fit: component.fit, weight: weights[i]! * component.weight });
  });
  return mixture;
}

function emptyIntervals(levels: readonly number[]): Record<number, Band> {
  return Object.fromEntries(levels.map((level) => [level, { lo: [], hi: [] }]));
}

function constantForecast(value: number, horizon: number, count: number): PathForecast {
  return {
    method: 'constant',
    mean: new Float64Array(horizon).fill(value),
    paths: new Float64Array(count * horizon).fill(value),
    count,
    horizon,
  };
}

function checkOptions(options: ForecastOptions) {
  const horizon = options.horizon;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new ForecastInputError('bad_option', `the horizon must be a whole number of steps, 1 or more, not ${horizon}`);
  }
  const season = options.season ?? 1;
  if (!Number.isInteger(season) || season < 1) {
    throw new ForecastInputError('bad_option', `the season length must be a whole number, 1 or more (1: no season), not ${season}`);
  }
  const levels = options.levels ?? [80, 95];
  for (const level of levels) {
    if (!(level > 0 && level < 100)) {
      throw new ForecastInputError('bad_option', `an interval level must be a percentage between 0 and 100, e.g. 80, not ${level}`);
    }
  }
  const count = options.paths ?? 1000;
  if (!Number.isInteger(count) || count < 2) {
    throw new ForecastInputError('bad_option', `the number of sample paths must be a whole number, 2 or more, not ${count}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) throw new ForecastInputError('bad_option', `the seed must be a number, not ${seed}`);
  return { horizon, season, levels, count, seed };
}
