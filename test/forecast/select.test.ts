import { describe, expect, it } from 'vitest';
import { etsPointForecast, etsName } from '../../functions/forecast/ets.js';
import { candidateModels, modelWeights, selectEts } from '../../functions/forecast/select.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';

const noise = (seed: number) => normalSampler(mulberry32(seed));

describe('model selection by AICc', () => {
  it('offers the family R ets offers: no multiplicative trend, no additive error with multiplicative season', () => {
    expect(candidateModels(7, 100, true).map(etsName)).toHaveLength(15);
    expect(candidateModels(7, 100, false).map(etsName)).toEqual([
      'ETS(A,N,N)', 'ETS(A,A,N)', 'ETS(A,Ad,N)', 'ETS(A,N,A)', 'ETS(A,A,A)', 'ETS(A,Ad,A)',
    ]);
    expect(candidateModels(7, 10, true).every((m) => m.season === 'N')).toBe(true); // under two seasons of data
  });

  it('recovers a known level: a flat series with noise is forecast at its level', () => {
    const z = noise(1);
    const y = Float64Array.from({ length: 200 }, () => 100 + 2 * z());
    const { best } = selectEts(y, { period: 7 });
    expect(best.spec.trend).toBe('N');
    expect(best.spec.season).toBe('N');
    expect(etsPointForecast(best.spec, best.params, best.final, 1)[0]).toBeCloseTo(100, -0.5);
  });

  it('recovers a known trend: a line with noise is forecast along the line', () => {
    const z = noise(2);
    const y = Float64Array.from({ length: 120 }, (_, t) => 50 + 1.5 * t + z());
    const { best } = selectEts(y, { period: 1 });
    expect(best.spec.trend).not.toBe('N');
    const ahead = etsPointForecast(best.spec, best.params, best.final, 10);
    expect(ahead[0]! - (50 + 1.5 * 120)).toBeLessThan(3);
    expect(ahead[9]! - ahead[0]!).toBeGreaterThan(9 * 1.5 * 0.8); // keeps climbing at about the slope
  });

  it('recovers a known weekly season: quiet weekends come back in the forecast', () => {
    const z = noise(3);
    const week = [1, 1, 1, 1, 1, 0.4, 0.3];
    const y = Float64Array.from({ length: 140 }, (_, t) => 500 * week[t % 7]! * (1 + 0.03 * z()));
    const { best } = selectEts(y, { period: 7 });
    expect(best.spec.season).not.toBe('N');
    const ahead = etsPointForecast(best.spec, best.params, best.final, 7); // t = 140 is a Monday-like day (140 % 7 = 0)
    week.forEach((w, d) => expect(ahead[d]! / 500).toBeCloseTo(w, 1));
  });
});

describe('modelWeights', () => {
  it('turns BIC differences into probabilities: two units of BIC are odds of e^-1', () => {
    // BIC = −2 log L + k log n: 20 observations, equal k, log-likelihoods one unit apart
    const fits = [{ logLikelihood: -50, parameters: 3, observations: 20 }, { logLikelihood: -51, parameters: 3, observations: 20 }];
    const [a, b] = modelWeights(fits);
    expect(a! + b!).toBeCloseTo(1, 12);
    expect(b! / a!).toBeCloseTo(Math.exp(-1), 12);
  });

  it('charges each extra parameter log n, so a trend the data barely support gets little weight on a long history', () => {
    const z = noise(4);
    const y = Float64Array.from({ length: 400 }, () => 100 + 2 * z());
    const { fits } = selectEts(y, { period: 1 });
    const weights = modelWeights(fits);
    const trend = fits.reduce((s, f, i) => s + (f.spec.trend === 'N' ? 0 : weights[i]!), 0);
    expect(trend).toBeLessThan(0.1);
  });
});
