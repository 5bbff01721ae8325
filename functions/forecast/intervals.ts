import { quantileSorted } from 'simple-statistics';

/** A central interval at one level: lo and hi per step (or for one quantity). */
export interface Band {
  lo: number[];
  hi: number[];
}

/**
 * Central prediction intervals per step from sample paths: at each step, the (1 − L)/2 and (1 + L)/2 quantiles of
 * the simulated values (FPP3 section 5.5, "prediction intervals from bootstrapped residuals" and section 8.7).
 *
 * Intuition: with a thousand equally likely futures, the 80% interval for next Tuesday is the range that holds
 * the middle 800 of the Tuesdays. No normality is assumed, so skew (spend can spike up more than down, and cannot
 * go below zero) shows up as an asymmetric interval.
 *
 * Quantiles use linear interpolation between order statistics (type 7 of Hyndman & Fan 1996, R's default), via
 * simple-statistics' quantileSorted.
 *
 * @param paths path after path, as simulateEts returns them
 * @param count number of paths
 * @param horizon steps per path
 * @param levels coverage levels in percent, each in (0, 100)
 * @throws RangeError for a level outside (0, 100) or no paths
 * @example
 * pathIntervals(Float64Array.of(1, 10, 2, 20, 3, 30), 3, 2, [50]); // { 50: { lo: [1.5, 15], hi: [2.5, 25] } }
 */
export function pathIntervals(paths: Float64Array, count: number, horizon: number, levels: readonly number[]): Record<number, Band> {
  if (count < 1) throw new RangeError('prediction intervals need at least one sample path');
  const bands: Record<number, Band> = {};
  for (const level of levels) {
    checkLevel(level);
    bands[level] = { lo: new Array<number>(horizon), hi: new Array<number>(horizon) };
  }
  const column = new Float64Array(count);
  const sorted = column as unknown as number[];
  for (let h = 0; h < horizon; h++) {
    for (let p = 0; p < count; p++) column[p] = paths[p * horizon + h]!;
    column.sort();
    for (const level of levels) {
      const tail = (1 - level / 100) / 2;
      bands[level]!.lo[h] = quantileSorted(sorted, tail);
      bands[level]!.hi[h] = quantileSorted(sorted, 1 - tail);
    }
  }
  return bands;
}

/**
 * The sum of each path over steps [from, to) (0-based, end excluded): the simulated distribution of a total, such
 * as the rest of a month.
 *
 * @example
 * pathSums(Float64Array.of(1, 10, 2, 20), 2, 2, 0, 2); // Float64Array [11, 22]
 */
export function pathSums(paths: Float64Array, count: number, horizon: number, from: number, to: number): Float64Array {
  if (from < 0 || to > horizon || from > to) throw new RangeError(`steps [${from}, ${to}) are not within the horizon of ${horizon}`);
  const sums = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let sum = 0;
    for (let h = from; h < to; h++) sum += paths[p * horizon + h]!;
    sums[p] = sum;
  }
  return sums;
}

/**
 * The central interval of one simulated quantity at each level: the quantiles of its sample.
 *
 * @example
 * sampleInterval(Float64Array.of(3, 1, 2, 4, 5), [50]); // { 50: { lo: 2, hi: 4 } }
 */
export function sampleInterval(sample: Float64Array, levels: readonly number[]): Record<number, { lo: number; hi: number }> {
  if (sample.length < 1) throw new RangeError('an interval needs at least one simulated value');
  const sorted = Float64Array.from(sample).sort() as unknown as number[];
  const out: Record<number, { lo: number; hi: number }> = {};
  for (const level of levels) {
    checkLevel(level);
    const tail = (1 - level / 100) / 2;
    out[level] = { lo: quantileSorted(sorted, tail), hi: quantileSorted(sorted, 1 - tail) };
  }
  return out;
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 100)) throw new RangeError(`an interval level must be a percentage between 0 and 100, not ${level}`);
}
