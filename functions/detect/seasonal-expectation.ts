import { median } from 'simple-statistics';
import { robustScale } from './stats/robust-scale.js';

/**
 * What a day should have cost: a seasonal, robust expectation for a daily series with weekly seasonality and
 * growth, after the "same weekday of past weeks" baselines of cost anomaly detectors, made robust with medians.
 *
 * For day i, each of the up to `maxWeeks` same weekdays before it (i - 7k) is a guess, scaled by how the level
 * moved since: level(i) / level(i - 7k), where level(t) is the median of the 7 days before t. The expectation is
 * the median of those guesses (at least `minWeeks` of them). Medians make it robust: a spike three weeks ago is
 * one guess of eight and does not move it; a spike yesterday is one day of seven and does not move the level.
 * The level ratio follows growth and lasting steps (a model switch that halved the spend) within a few days,
 * where a plain same-weekday median would lag by weeks.
 *
 * The noise is the robust scale of the log residuals ln(actual / expected) over the 28 days before i: residuals
 * of out-of-sample expectations, so the uncertainty of the expectation itself is in it. A robust z-score is then
 * ln(actual / expected) / scale: "how many robust standard deviations above normal".
 */

export interface ExpectationOptions {
  maxWeeks?: number;
  minWeeks?: number;
}

/** The level before day i: the median of the 7 values before it (undefined before day 7). */
function levelBefore(values: readonly number[], i: number): number | undefined {
  return i < 7 ? undefined : median(values.slice(i - 7, i));
}

/**
 * The expectation of every day of a series, or null where there is too little history.
 * @example seasonalExpectations(fourWeeksOf([10, 10, 10, 10, 10, 5, 5])).at(-1) // 5 (a Sunday)
 */
export function seasonalExpectations(values: readonly number[], options: ExpectationOptions = {}): (number | null)[] {
  const maxWeeks = options.maxWeeks ?? 8;
  const minWeeks = options.minWeeks ?? 3;
  return values.map((_, i) => {
    const level = levelBefore(values, i);
    if (level === undefined) return null;
    const guesses: number[] = [];
    for (let k = 1; k <= maxWeeks; k++) {
      const j = i - 7 * k;
      const then = levelBefore(values, j);
      if (then === undefined) break;
      if (then > 0) guesses.push((values[j]! * level) / then);
      else if (level === 0) guesses.push(values[j]!);
    }
    return guesses.length >= minWeeks ? median(guesses) : null;
  });
}

/**
 * A small positive offset for log ratios, so that days (or hours) with nothing spent compare without dividing by
 * zero: 5% of the typical expectation, at least a cent.
 */
export function logOffset(expected: readonly (number | null)[]): number {
  const known = expected.filter((e): e is number => e !== null && e > 0);
  return Math.max(0.01, known.length === 0 ? 0 : 0.05 * median(known));
}

/** ln((actual + c) / (expected + c)). */
export function logRatio(actual: number, expected: number, offset: number): number {
  return Math.log((actual + offset) / (expected + offset));
}

/**
 * The robust scale of the log residuals of positions [from, to) that have an expectation, floored at `floor`;
 * undefined with fewer than `minCount` residuals.
 */
export function residualScale(
  values: readonly number[],
  expected: readonly (number | null)[],
  from: number,
  to: number,
  offset: number,
  { floor = 0.05, minCount = 7 } = {},
): number | undefined {
  const residuals: number[] = [];
  for (let j = Math.max(0, from); j < to; j++) {
    const e = expected[j];
    if (e !== null && e !== undefined) residuals.push(logRatio(values[j]!, e, offset));
  }
  if (residuals.length < minCount) return undefined;
  return Math.max(floor, robustScale(residuals));
}
