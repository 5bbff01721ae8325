import { describe, expect, it } from 'vitest';
import { ForecastInputError } from '../../functions/forecast/errors.js';
import { forecastSeries, forecastSum } from '../../functions/forecast/forecast-series.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';

const z = normalSampler(mulberry32(11));
const weekly = [1.1, 1.1, 1.1, 1.1, 1, 0.4, 0.3];
const spend = Array.from({ length: 120 }, (_, t) => 300 * weekly[t % 7]! * Math.exp(0.1 * z()));

describe('forecastSeries', () => {
  it('gives the mean and the 80% and 95% intervals for every step, nested around the mean', () => {
    const f = forecastSeries(spend, { horizon: 14, season: 7 });
    expect(f.method).toMatch(/^ETS\(/);
    expect(f.mean).toHaveLength(14);
    for (let h = 0; h < 14; h++) {
      expect(f.intervals[95]!.lo[h]).toBeLessThanOrEqual(f.intervals[80]!.lo[h]!);
      expect(f.intervals[80]!.lo[h]).toBeLessThanOrEqual(f.mean[h]!);
      expect(f.mean[h]).toBeLessThanOrEqual(f.intervals[80]!.hi[h]!);
      expect(f.intervals[80]!.hi[h]).toBeLessThanOrEqual(f.intervals[95]!.hi[h]!);
    }
  });

  it('is deterministic: the same input and seed give the same output, another seed other intervals', () => {
    const a = forecastSeries(spend, { horizon: 7, season: 7, seed: 5 });
    const b = forecastSeries(spend, { horizon: 7, season: 7, seed: 5 });
    const c = forecastSeries(spend, { horizon: 7, season: 7, seed: 6 });
    expect(b).toEqual(a);
    expect(c.mean).toEqual(a.mean);
    expect(c.intervals[95]).not.toEqual(a.intervals[95]);
  });

  it('reports any other level asked for', () => {
    const f = forecastSeries(spend, { horizon: 3, season: 7, levels: [50, 90] });
    expect(Object.keys(f.intervals).sort()).toEqual(['50', '90']);
  });

  it('never forecasts spend below zero', () => {
    const falling = Array.from({ length: 60 }, (_, t) => Math.max(0, 100 - 2 * t + 5 * z()));
    const f = forecastSeries(falling, { horizon: 30 });
    expect(Math.min(...f.mean, ...f.intervals[95]!.lo)).toBeGreaterThanOrEqual(0);
  });

  it('sets a launch and an incident aside, and forecasts from the new level', () => {
    const y = Array.from({ length: 120 }, (_, t) => (t < 80 ? 100 : 250) * (t === 40 ? 8 : 1) * Math.exp(0.05 * z()));
    const f = forecastSeries(y, { horizon: 7 });
    expect(f.adjustments.outliers).toContain(40);
    expect(f.adjustments.levelShifts.map((s) => s.at)).toEqual([80]);
    expect(f.mean[0]! / 250).toBeCloseTo(1, 1);
  });

  describe('degenerate input', () => {
    it.each([
      { name: 'an empty series', values: [], reason: 'empty' },
      { name: 'only missing values', values: [NaN, NaN], reason: 'empty' },
      { name: 'one point', values: [5], reason: 'too_short' },
      { name: 'an infinite value', values: [1, 2, Infinity, 4, 5, 6], reason: 'not_finite' },
    ])('$name gets a ForecastInputError ($reason)', ({ values, reason }) => {
      expect(() => forecastSeries(values, { horizon: 3 })).toThrow(ForecastInputError);
      try {
        forecastSeries(values, { horizon: 3 });
      } catch (error) {
        expect((error as ForecastInputError).reason).toBe(reason);
      }
    });

    it.each([
      { name: 'a horizon of 0', options: { horizon: 0 } },
      { name: 'a fractional season', options: { horizon: 3, season: 1.5 } },
      { name: 'a level of 100', options: { horizon: 3, levels: [100] } },
      { name: 'one sample path', options: { horizon: 3, paths: 1 } },
    ])('$name is a bad option', ({ options }) => {
      expect(() => forecastSeries(spend, options)).toThrow(/must/);
    });

    it('all zeros: forecast as zero with zero-width intervals (method constant)', () => {
      const f = forecastSeries([0, 0, 0, 0, 0, 0], { horizon: 3 });
      expect(f.method).toBe('constant');
      expect(f.mean).toEqual([0, 0, 0]);
      expect(f.intervals[95]).toEqual({ lo: [0, 0, 0], hi: [0, 0, 0] });
    });

    it('a short history (2 to 4 points): the naive method, with a note saying why', () => {
      const f = forecastSeries([10, 12, 11], { horizon: 2 });
      expect(f.method).toBe('naive');
      expect(f.mean).toEqual([11, 11]);
      expect(f.note).toMatch(/too few/);
    });

    it('negative values: allowed, additive models only and no floor at zero', () => {
      const y = Array.from({ length: 40 }, (_, t) => -20 + Math.sin(t) * 3 + z());
      const f = forecastSeries(y, { horizon: 5 });
      expect(f.method).toMatch(/^ETS\(A,/);
      expect(f.intervals[95]!.lo[0]).toBeLessThan(-20);
    });

    it('missing values inside the history are stepped over', () => {
      const y = spend.map((v, t) => (t % 10 === 3 ? NaN : v));
      const f = forecastSeries(y, { horizon: 7, season: 7 });
      expect(f.observations).toBe(spend.length - 12);
      expect(f.mean.every(Number.isFinite)).toBe(true);
    });
  });
});

describe('forecastSum', () => {
  it('gives a sum of independent days an interval narrower than the sum of the daily intervals', () => {
    const iid = Array.from({ length: 200 }, () => 100 + 10 * z());
    const f = forecastSeries(iid, { horizon: 30, keepPaths: true, robust: false });
    const total = forecastSum(f, { from: 0, to: 30 });
    const width = total.intervals[95]!.hi - total.intervals[95]!.lo;
    const summedDailyWidths = f.intervals[95]!.hi.reduce((s, hi, h) => s + hi - f.intervals[95]!.lo[h]!, 0);
    expect(width).toBeLessThan(summedDailyWidths / 2);
    expect(total.mean).toBeCloseTo(f.mean.reduce((a, b) => a + b, 0), 6);
  });

  it('adds month-to-date actuals as known: they move the interval, not its width', () => {
    const f = forecastSeries(spend, { horizon: 20, season: 7, keepPaths: true });
    const without = forecastSum(f, { from: 0, to: 20 });
    const withKnown = forecastSum(f, { from: 0, to: 20 }, 1234.5);
    expect(withKnown.mean - without.mean).toBeCloseTo(1234.5, 6);
    expect(withKnown.intervals[80]!.hi - withKnown.intervals[80]!.lo).toBeCloseTo(without.intervals[80]!.hi - without.intervals[80]!.lo, 6);
  });

  it('needs the sample paths', () => {
    expect(() => forecastSum(forecastSeries(spend, { horizon: 3 }), { from: 0, to: 3 })).toThrow(/keepPaths/);
  });
});
