import { describe, expect, it } from 'vitest';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';
import { cleanSeries } from '../../functions/forecast/robust.js';

const z = normalSampler(mulberry32(21));
const week = [1, 1, 1, 1, 1, 0.5, 0.4];

describe('separating outliers and level shifts', () => {
  it('finds an incident day and a launch, and carries the history before the launch to the new level', () => {
    const y = Float64Array.from({ length: 150 }, (_, t) => (t >= 100 ? 300 : 100) * week[t % 7]! * (t === 50 ? 6 : 1) * Math.exp(0.05 * z()));
    const { values, outliers, shifts } = cleanSeries(y, 7);
    expect(outliers).toEqual([50]);
    expect(Number.isNaN(values[50]!)).toBe(true);
    expect(shifts).toHaveLength(1);
    expect(Math.abs(shifts[0]!.at - 100)).toBeLessThanOrEqual(1);
    expect(shifts[0]!.size).toBeCloseTo(3, 0);
    expect(values[10]! / y[10]!).toBeCloseTo(shifts[0]!.size, 6);
  });

  it('does not mistake steady growth, quiet weekends or zero days for shifts or outliers', () => {
    const growth = Float64Array.from({ length: 200 }, (_, t) => 100 * Math.exp(0.01 * t) * week[t % 7]! * Math.exp(0.05 * z()));
    expect(cleanSeries(growth, 7)).toMatchObject({ outliers: [], shifts: [] });
    const zeros = Float64Array.from({ length: 120 }, (_, t) => (t % 7 >= 5 ? 0 : 200 * Math.exp(0.05 * z())));
    expect(cleanSeries(zeros, 7)).toMatchObject({ outliers: [], shifts: [] });
  });

  it('leaves a short history as it is', () => {
    const y = Float64Array.of(1, 2, 50, 3, 4);
    expect(cleanSeries(y, 1)).toEqual({ values: y, outliers: [], shifts: [] });
  });
});
