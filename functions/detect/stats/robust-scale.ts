import { medianAbsoluteDeviation } from 'simple-statistics';

/**
 * The consistency constant that turns a median absolute deviation into an estimate of the standard deviation for
 * normal data: 1 / Φ⁻¹(3/4) ≈ 1.4826 (https://en.wikipedia.org/wiki/Median_absolute_deviation).
 */
export const madToSigma = 1.4826;

/**
 * A robust standard deviation: 1.4826 × the median absolute deviation. Unlike the standard deviation, a few
 * outliers (the spikes a detector looks for) barely move it, so a spike cannot hide itself by inflating the noise.
 *
 * @throws Error for no values: the spread of nothing cannot be estimated.
 * @example robustScale([1, 2, 3, 4, 100]) // 1.4826 (the 100 does not count)
 */
export function robustScale(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the robust scale of no values cannot be estimated');
  return madToSigma * medianAbsoluteDeviation([...values]);
}
