import { ForecastInputError } from './errors.js';

/** A forecast as sample paths: the point forecast per step and `count` simulated futures, path after path. */
export interface PathForecast {
  method: string;
  mean: Float64Array;
  paths: Float64Array;
  count: number;
  horizon: number;
}

/**
 * The seasonal naive method: each future period repeats the last observed value of the same season (the same
 * weekday last week, the same month last year), with the spread of the history's seasonal differences
 * (FPP3 sections 5.2 and 5.5). With m = 1 it is the naive method (the last value).
 *
 * Intuition: "next Monday will be like last Monday" is the benchmark every forecast must beat, and the fallback
 * when a series is too short or too odd for a model. Its errors add up season after season: the forecast k
 * seasons ahead has the spread σ·√k, where σ is that of y_t − y_{t−m} over the history. Paths are simulated by
 * the same random walk from season to season, so sums of days get the right dependence.
 *
 * Edge cases: missing values (NaN) are skipped (the reference is the last observed value of that season, else the
 * last observed value); a history shorter than m + 1 observations uses m = 1; a lower bound censors paths.
 *
 * @throws ForecastInputError (too_short) with fewer than 2 observations: there is no difference to measure spread by
 * @example
 * seasonalNaive(Float64Array.of(1, 2, 3, 1, 2, 4), 3, 4, 100, () => 0, null).mean; // Float64Array [1, 2, 4, 1]
 */
export function seasonalNaive(
  y: Float64Array,
  period: number,
  horizon: number,
  count: number,
  normal: () => number,
  lowerBound: number | null,
): PathForecast {
  const n = y.length;
  let observed = 0;
  let lastObserved = NaN;
  for (const v of y) {
    if (v === v) {
      observed++;
      lastObserved = v;
    }
  }
  if (observed < 2) {
    throw new ForecastInputError('too_short', `the series has ${observed} observation${observed === 1 ? '' : 's'}: a naive forecast needs at least 2 to measure its spread`);
  }
  const m = observed >= period + 1 && period >= 1 ? period : 1;

  // the last observed value of each season, counted back from the end
  const reference = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    reference[j] = lastObserved;
    for (let t = n - m + j; t >= 0; t -= m) {
      if (y[t]! === y[t]!) {
        reference[j] = y[t]!;
        break;
      }
    }
  }
  let squares = 0;
  let differences = 0;
  for (let t = m; t < n; t++) {
    const d = y[t]! - y[t - m]!;
    if (d === d) {
      squares += d * d;
      differences++;
    }
  }
  if (differences === 0) {
    // gaps everywhere m apart: fall back to successive observed values
    let previous = NaN;
    for (const v of y) {
      if (v !== v) continue;
      if (previous === previous) {
        squares += (v - previous) ** 2;
        differences++;
      }
      previous = v;
    }
  }
  const sigma = Math.sqrt(squares / Math.max(differences, 1));

  const mean = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) mean[h] = reference[h % m]!;
  const paths = new Float64Array(count * horizon);
  const current = new Float64Array(m);
  for (let p = 0; p < count; p++) {
    current.set(reference);
    for (let h = 0; h < horizon; h++) {
      let value = current[h % m]! + sigma * normal();
      if (lowerBound !== null && value < lowerBound) value = lowerBound;
      current[h % m] = value;
      paths[p * horizon + h] = value;
    }
  }
  if (lowerBound !== null) for (let h = 0; h < horizon; h++) mean[h] = Math.max(mean[h]!, lowerBound);
  return { method: m > 1 ? 'seasonal naive' : 'naive', mean, paths, count, horizon };
}
