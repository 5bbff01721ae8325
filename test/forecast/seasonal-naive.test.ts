import { describe, expect, it } from 'vitest';
import { ForecastInputError } from '../../functions/forecast/errors.js';
import { pathIntervals, pathSums, sampleInterval } from '../../functions/forecast/intervals.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';
import { seasonalNaive } from '../../functions/forecast/seasonal-naive.js';

describe('the seasonal naive fallback', () => {
  it('repeats the last season', () => {
    const f = seasonalNaive(Float64Array.of(1, 2, 3, 1, 2, 4), 3, 4, 10, () => 0, null);
    expect(Array.from(f.mean)).toEqual([1, 2, 4, 1]);
    expect(f.method).toBe('seasonal naive');
  });

  it('widens its intervals season after season, as σ√k', () => {
    const y = Float64Array.from({ length: 60 }, (_, t) => 10 + (t % 2) * 5 + Math.sin(t * 1.3));
    const f = seasonalNaive(y, 2, 8, 4000, normalSampler(mulberry32(2)), null);
    const bands = pathIntervals(f.paths, f.count, f.horizon, [95]);
    const width = (h: number) => bands[95]!.hi[h]! - bands[95]!.lo[h]!;
    expect(width(6) / width(0)).toBeCloseTo(2, 0); // k = 4 seasons ahead: √4
  });

  it('needs two observations to measure its spread', () => {
    expect(() => seasonalNaive(Float64Array.of(5), 1, 3, 10, () => 0, null)).toThrow(ForecastInputError);
  });
});

describe('intervals from sample paths', () => {
  it('reads per-step quantiles and sums over steps', () => {
    const paths = Float64Array.of(1, 10, 2, 20, 3, 30);
    expect(pathIntervals(paths, 3, 2, [50])).toEqual({ 50: { lo: [1.5, 15], hi: [2.5, 25] } });
    expect(Array.from(pathSums(paths, 3, 2, 0, 2))).toEqual([11, 22, 33]);
    expect(sampleInterval(Float64Array.of(3, 1, 2, 4, 5), [50])).toEqual({ 50: { lo: 2, hi: 4 } });
  });
});
