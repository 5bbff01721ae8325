/**
 * Where a daily series changed: the single change point that best splits it, by least squares, for two shapes of
 * change (https://en.wikipedia.org/wiki/Change_detection, the one-change case of binary segmentation):
 *
 * - a step: one level before, another after (a new prompt version, a model switch, a cache that stopped hitting);
 * - a hinge: flat, then a straight-line trend (a prompt that grows a little every day).
 *
 * Each is fitted at every candidate point and the point with the smallest sum of squared errors wins. Both take
 * O(n) per candidate with prefix sums (the hinge solves its 2×2 normal equations), so a 120-day series costs
 * nothing. Callers judge whether the change is large and significant; these only say where it is best placed.
 */

export interface StepFit {
  /** The index of the first value at the new level. */
  index: number;
  /** Mean before and from the change. */
  before: number;
  after: number;
  sse: number;
}

export interface HingeFit {
  /** The index of the first value on the trend (the first grown value). */
  index: number;
  /** The flat level before the trend, and the trend's change per step after it. */
  level: number;
  slope: number;
  sse: number;
}

/**
 * The best single step, with at least `minSegment` values on each side; undefined when the series is too short.
 * @example bestStep([1, 1, 1, 5, 5, 5]) // { index: 3, before: 1, after: 5, sse: 0 }
 */
export function bestStep(values: readonly number[], minSegment = 2): StepFit | undefined {
  const n = values.length;
  if (n < 2 * minSegment) return undefined;
  const sums = [0];
  const squares = [0];
  for (const v of values) {
    sums.push(sums.at(-1)! + v);
    squares.push(squares.at(-1)! + v * v);
  }
  const sse = (from: number, to: number) => {
    const count = to - from;
    const sum = sums[to]! - sums[from]!;
    return squares[to]! - squares[from]! - (sum * sum) / count;
  };
  let best: StepFit | undefined;
  for (let index = minSegment; index <= n - minSegment; index++) {
    const total = sse(0, index) + sse(index, n);
    if (!best || total < best.sse - 1e-12) {
      best = {
        index,
        before: (sums[index]! - sums[0]!) / index,
        after: (sums[n]! - sums[index]!) / (n - index),
        sse: Math.max(0, total),
      };
    }
  }
  return best;
}

/**
 * The best hinge: y = level for i < index, level + slope × (i - index + 1) from it, with at least `minTrend`
 * values on the trend. undefined when the series is too short.
 * @example bestHinge([2, 2, 2, 3, 4, 5]) // { index: 3, level: 2, slope: 1, sse: 0 }
 */
export function bestHinge(values: readonly number[], minTrend = 3): HingeFit | undefined {
  const n = values.length;
  if (n < minTrend + 1) return undefined;
  let best: HingeFit | undefined;
  for (let index = 0; index <= n - minTrend; index++) {
    // regress y on x_i = max(0, i - index + 1) with an intercept
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.max(0, i - index + 1);
      const y = values[i]!;
      sx += x; sy += y; sxx += x * x; sxy += x * y;
    }
    const det = n * sxx - sx * sx;
    if (det <= 0) continue;
    const slope = (n * sxy - sx * sy) / det;
    const level = (sy - slope * sx) / n;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const e = values[i]! - (level + slope * Math.max(0, i - index + 1));
      total += e * e;
    }
    if (!best || total < best.sse - 1e-12) best = { index, level, slope, sse: total };
  }
  return best;
}
