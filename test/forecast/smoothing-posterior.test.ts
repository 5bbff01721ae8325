import { describe, expect, it } from 'vitest';
import { fitEts } from '../../functions/forecast/fit.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';
import { smoothingPosterior } from '../../functions/forecast/smoothing-posterior.js';

const level = { error: 'A', trend: 'N', season: 'N', period: 1 } as const;
const series = (length: number, seed: number, wander: number) => {
  const z = normalSampler(mulberry32(seed));
  let mean = 100;
  return Float64Array.from({ length }, () => (mean += wander * z()) + 5 * z());
};
const weightAbove = (posterior: ReturnType<typeof smoothingPosterior>, alpha: number) =>
  posterior.filter((c) => c.fit.params.alpha > alpha).reduce((s, c) => s + c.weight, 0);

describe('smoothingPosterior', () => {
  it('weighs values of α that sum to 1, the fitted one among them, in increasing order', () => {
    const y = series(100, 1, 1);
    const fit = fitEts(y, level)!;
    const posterior = smoothingPosterior(y, fit);
    expect(posterior.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 12);
    expect(posterior.some((c) => c.fit === fit)).toBe(true);
    const alphas = posterior.map((c) => c.fit.params.alpha);
    expect(alphas).toEqual([...alphas].sort((a, b) => a - b));
  });

  it('gives each value of α its own final level and σ, from a pass of the filter over the history', () => {
    const y = series(100, 2, 1);
    const posterior = smoothingPosterior(y, fitEts(y, level)!);
    const quick = posterior[posterior.length - 1]!.fit;
    expect(quick.final.level).toBeCloseTo(y[99]!, -1); // a quick α ends near the last value
    expect(new Set(posterior.map((c) => c.fit.sigma2)).size).toBe(posterior.length);
  });

  it('is sure of α after a long history, unsure after a short one (where α is often estimated at 0 regardless)', () => {
    const long = series(600, 3, 0);
    const short = series(30, 3, 0);
    expect(weightAbove(smoothingPosterior(long, fitEts(long, level)!), 0.1)).toBeLessThan(0.01);
    expect(weightAbove(smoothingPosterior(short, fitEts(short, level)!), 0.1)).toBeGreaterThan(0.2);
  });
});
