import { median } from 'simple-statistics';
import type { EtsSpec, EtsState } from './ets.js';

/**
 * Starting values for the states of an ETS model, from the first few seasons of data: the heuristic of
 * Hyndman, Koehler, Snyder & Grose (2002), "A state space framework for automatic forecasting using exponential
 * smoothing methods", IJF 18(3), section 2.6, which R's forecast::ets uses to start its optimizer.
 *
 * Intuition: a centred moving average over one season removes the weekly (or yearly) pattern and leaves the
 * local level; what the data do around it, position by position, is the seasonal pattern. Take away that pattern,
 * and a straight line through the first ten or two seasons' worth of values gives the starting level and slope.
 *
 * We differ from the 2002 recipe in two ways, both for robustness: the seasonal term of each position is the
 * median (not the mean) over up to five seasons, so one incident day in the first weeks does not stamp itself on
 * every later week; and missing values are bridged by linear interpolation for this purpose only.
 *
 * Edge cases: a seasonal model needs two full seasons of data (checked by the caller); a multiplicative season
 * needs positive data, and any non-positive moving average falls back to additive terms converted to ratios.
 *
 * @param y the series, oldest first, NaN for missing
 * @returns the state before the first observation; season[j] is the term for period j + 1
 * @example
 * initialStates(Float64Array.of(10, 20, 10, 20, 10, 20), { error: 'A', trend: 'N', season: 'A', period: 2 });
 * // { level: 15, slope: 0, season: Float64Array [-5, 5] }
 */
export function initialStates(y: Float64Array, spec: EtsSpec): EtsState {
  const x = interpolateMissing(y);
  const n = x.length;
  const m = spec.season === 'N' ? 1 : spec.period;
  const season = new Float64Array(m).fill(spec.season === 'M' ? 1 : 0);
  const adjusted = Float64Array.from(x);

  if (spec.season !== 'N') {
    const seasons = Math.min(Math.floor(n / m), 5);
    const window = x.subarray(0, seasons * m);
    const trend = centredMovingAverage(window, m);
    const multiplicative = spec.season === 'M';
    const byPosition: number[][] = Array.from({ length: m }, () => []);
    for (let t = 0; t < window.length; t++) {
      const local = trend[t]!;
      if (Number.isNaN(local)) continue;
      if (multiplicative && local > 0) byPosition[t % m]!.push(window[t]! / local);
      else if (!multiplicative) byPosition[t % m]!.push(window[t]! - local);
    }
    for (let j = 0; j < m; j++) {
      const values = byPosition[j]!;
      season[j] = values.length > 0 ? median(values) : multiplicative ? 1 : 0;
    }
    normalizeSeason(season, spec.season);
    for (let t = 0; t < n; t++) {
      adjusted[t] = multiplicative ? x[t]! / season[t % m]! : x[t]! - season[t % m]!;
    }
  }

  const span = Math.min(Math.max(10, 2 * m), n);
  if (spec.trend === 'N') {
    let sum = 0;
    for (let t = 0; t < span; t++) sum += adjusted[t]!;
    return { level: sum / span, slope: 0, season };
  }
  // least squares line through (t, adjusted[t]) for t = 1..span; the level is its value at t = 0
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 1; t <= span; t++) {
    const v = adjusted[t - 1]!;
    sx += t;
    sy += v;
    sxx += t * t;
    sxy += t * v;
  }
  const slope = span > 1 ? (span * sxy - sx * sy) / (span * sxx - sx * sx) : 0;
  const level = (sy - slope * sx) / span;
  return { level, slope, season };
}

/** Seasonal terms that add to zero (additive) or average one (multiplicative), so the level carries the level. */
export function normalizeSeason(season: Float64Array, type: 'N' | 'A' | 'M'): void {
  if (type === 'N') return;
  let sum = 0;
  for (const s of season) sum += s;
  const centre = sum / season.length;
  for (let j = 0; j < season.length; j++) season[j] = type === 'M' ? (centre > 0 ? season[j]! / centre : 1) : season[j]! - centre;
}

/**
 * The centred moving average of order m (a 2×m average for even m), NaN where the window does not fit: the trend
 * estimate of classical decomposition (FPP3 section 3.4).
 */
export function centredMovingAverage(x: Float64Array, m: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n).fill(NaN);
  if (m <= 1) return Float64Array.from(x);
  const even = m % 2 === 0;
  const half = Math.floor(m / 2);
  for (let t = half; t < n - half; t++) {
    let sum = 0;
    if (even) {
      sum += 0.5 * x[t - half]! + 0.5 * x[t + half]!;
      for (let k = t - half + 1; k <= t + half - 1; k++) sum += x[k]!;
    } else {
      for (let k = t - half; k <= t + half; k++) sum += x[k]!;
    }
    out[t] = sum / m;
  }
  return out;
}

/** Missing values (NaN) bridged by a straight line between their neighbours; the ends copy the nearest value. */
export function interpolateMissing(y: Float64Array): Float64Array {
  const x = Float64Array.from(y);
  const n = x.length;
  let previous = -1;
  for (let t = 0; t <= n; t++) {
    if (t < n && Number.isNaN(x[t]!)) continue;
    if (t - previous > 1) {
      const left = previous >= 0 ? x[previous]! : t < n ? x[t]! : 0;
      const right = t < n ? x[t]! : left;
      for (let k = previous + 1; k < t; k++) x[k] = left + ((right - left) * (k - previous)) / (t - previous);
    }
    previous = t;
  }
  return x;
}
