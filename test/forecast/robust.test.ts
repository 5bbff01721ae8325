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
    expect(cleanSeries(y, 1)).toMatchObject({ values: y, outliers: [], shifts: [], found: { outlierSizes: [], outlierPlaces: 0, shiftPlaces: 0 } });
  });

  it('reports what it set aside, for the future to have as much: sizes on the log scale and the places searched', () => {
    const y = Float64Array.from({ length: 150 }, (_, t) => 200 * week[t % 7]! * (t === 30 || t === 90 ? 5 : 1) * Math.exp(0.05 * z()));
    const { outliers, found } = cleanSeries(y, 7);
    expect(outliers).toEqual([30, 90]);
    expect(found.scale).toBe('ratio');
    expect(found.outlierPlaces).toBe(150);
    found.outlierSizes.forEach((size) => expect(size).toBeCloseTo(Math.log(5), 0));
  });

  it.each([
    { name: 'an incident on the last day is set aside', last: [1, 1, 6], outliers: [149] },
    { name: 'an incident on the day before last is set aside', last: [1, 6, 1], outliers: [148] },
    { name: 'the first two days of a new level are kept, for the model to adapt to', last: [1, 3, 3], outliers: [] },
    { name: 'the first three days of a new level are kept', last: [3, 3, 3], outliers: [] },
  ])('at the end of the history: $name', ({ last, outliers }) => {
    const noise = normalSampler(mulberry32(5));
    const y = Float64Array.from({ length: 150 }, (_, t) => 200 * (t >= 147 ? last[t - 147]! : 1) * Math.exp(0.05 * noise()));
    expect(cleanSeries(y, 1).outliers).toEqual(outliers);
  });
});
