import { describe, expect, it } from 'vitest';
import { mean, standardDeviation } from 'simple-statistics';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';

describe('the seeded generators', () => {
  it('give the same stream for the same seed, and another for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it('draw uniforms in [0, 1) with mean one half', () => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 100_000 }, () => random());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(mean(draws)).toBeCloseTo(0.5, 2);
  });

  it('draw standard normals: mean 0, standard deviation 1, 95% within ±1.96', () => {
    const z = normalSampler(mulberry32(3));
    const draws = Array.from({ length: 200_000 }, () => z());
    expect(mean(draws)).toBeCloseTo(0, 2);
    expect(standardDeviation(draws)).toBeCloseTo(1, 2);
    expect(draws.filter((d) => Math.abs(d) < 1.959964).length / draws.length).toBeCloseTo(0.95, 2);
  });
});
