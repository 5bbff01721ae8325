import { describe, expect, it } from 'vitest';
import { seasonalExpectations } from '../../functions/detect/seasonal-expectation.js';
import { bestHinge, bestStep } from '../../functions/detect/stats/change-point.js';
import { poissonUpperTail } from '../../functions/detect/stats/poisson-tail.js';
import { robustScale } from '../../functions/detect/stats/robust-scale.js';
import { runs } from '../../functions/detect/stats/runs.js';

describe('the best single step of a series', () => {
  it.each([
    { name: 'a clean step', values: [1, 1, 1, 5, 5, 5], expected: { index: 3, before: 1, after: 5 } },
    { name: 'a step late in the series', values: [2, 2, 2, 2, 2, 2, 2, 9, 9, 9], expected: { index: 7, before: 2, after: 9 } },
    { name: 'a step down', values: [0.5, 0.48, 0.52, 0.5, 0.07, 0.08, 0.06], expected: { index: 4 } },
  ])('places $name where the level changes', ({ values, expected }) => {
    expect(bestStep(values, 3)).toMatchObject(expected);
  });

  it('cannot place a step in a series shorter than two segments', () => {
    expect(bestStep([1, 2, 3], 2)).toBeUndefined();
  });
});

describe('the best hinge of a series', () => {
  it('finds the first grown value of a flat-then-growing series, and its slope', () => {
    const fit = bestHinge([2, 2, 2, 3, 4, 5])!;
    expect(fit.index).toBe(3);
    expect(fit.level).toBeCloseTo(2);
    expect(fit.slope).toBeCloseTo(1);
  });

  it('finds the onset of a noisy ramp within a day', () => {
    const values = Array.from({ length: 120 }, (_, i) => 800 * (1 + 2 * Math.max(0, i - 60) / 59) * (1 + 0.02 * Math.sin(i * 2.1)));
    expect(Math.abs(bestHinge(values)!.index - 61)).toBeLessThanOrEqual(1);
  });
});

describe('the upper tail of a Poisson distribution', () => {
  it.each([
    { k: 0, lambda: 3, expected: 1 },
    { k: 1, lambda: 0, expected: 0 },
    { k: 1, lambda: 1, expected: 1 - Math.exp(-1) },
    { k: 3, lambda: 2, expected: 1 - Math.exp(-2) * (1 + 2 + 2) },
  ])('P(X >= $k) for a rate of $lambda is $expected', ({ k, lambda, expected }) => {
    expect(poissonUpperTail(k, lambda)).toBeCloseTo(expected, 12);
  });

  it('keeps tiny tails instead of rounding them to zero', () => {
    const tail = poissonUpperTail(40, 0.5);
    expect(tail).toBeGreaterThan(0);
    expect(tail).toBeLessThan(1e-50);
  });

  it('rejects a negative rate', () => {
    expect(() => poissonUpperTail(1, -1)).toThrow(/rate/);
  });
});

describe('runs of flags', () => {
  it.each([
    { name: 'no flags', flags: [false, false], gap: 0, expected: [] },
    { name: 'separate runs', flags: [true, true, false, true], gap: 0, expected: [{ start: 0, end: 1 }, { start: 3, end: 3 }] },
    { name: 'runs one calm value apart, merged', flags: [false, true, true, false, true, false, false, true], gap: 1, expected: [{ start: 1, end: 4 }, { start: 7, end: 7 }] },
  ])('$name', ({ flags, gap, expected }) => {
    expect(runs(flags, gap)).toEqual(expected);
  });
});

describe('the robust scale', () => {
  it('is not moved by one outlier', () => {
    expect(robustScale([1, 2, 3, 4, 100])).toBeCloseTo(1.4826);
  });

  it('of no values cannot be estimated', () => {
    expect(() => robustScale([])).toThrow(/no values/);
  });
});

describe('the seasonal expectation of a day', () => {
  const weeks = (pattern: number[], n: number, growth = 1) =>
    Array.from({ length: 7 * n }, (_, i) => pattern[i % 7]! * growth ** i);

  it('expects a weekend day to be a weekend day', () => {
    const values = weeks([10, 10, 10, 10, 10, 5, 5], 6);
    expect(seasonalExpectations(values).at(-1)).toBeCloseTo(5);
    expect(seasonalExpectations(values).at(-3)).toBeCloseTo(10);
  });

  it('follows growth instead of lagging behind it', () => {
    const values = weeks([10, 10, 10, 10, 10, 5, 5], 10, 1.01);
    const last = values.length - 1;
    expect(seasonalExpectations(values)[last]! / values[last]!).toBeGreaterThan(0.97);
  });

  it('is not moved by a spike in the weeks before', () => {
    const values = weeks([10, 10, 10, 10, 10, 5, 5], 8);
    values[values.length - 14] = 500;
    expect(seasonalExpectations(values).at(-7)).toBeCloseTo(10);
  });

  it('has no expectation without three weeks of same weekdays', () => {
    expect(seasonalExpectations(weeks([1, 1, 1, 1, 1, 1, 1], 3)).every((e) => e === null)).toBe(true);
  });
});
