import { describe, expect, it } from 'vitest';
import { etsFilter, etsName, etsPointForecast, twiceNegativeLogLikelihood, type EtsSpec } from '../../functions/forecast/ets.js';

const ann: EtsSpec = { error: 'A', trend: 'N', season: 'N', period: 1 };
const none = { alpha: 0.5, beta: 0, gamma: 0, phi: 1 };

describe('the ETS state space recursions', () => {
  it('move the level a fraction α of the way to each observation (simple exponential smoothing)', () => {
    const result = etsFilter(Float64Array.of(12, 10, 11), ann, none, { level: 10, slope: 0, season: new Float64Array(1) });
    // forecasts 10, 11, 10.5; errors 2, -1, 0.5
    expect(result.final.level).toBeCloseTo(10.75, 12);
    expect(result.sumSquares).toBeCloseTo(4 + 1 + 0.25, 12);
    expect(result.count).toBe(3);
  });

  it('step over a missing observation without learning from it', () => {
    const result = etsFilter(Float64Array.of(12, NaN, 11), ann, none, { level: 10, slope: 0, season: new Float64Array(1) });
    expect(result.count).toBe(2);
    expect(result.final.level).toBeCloseTo(11, 12); // 10 -> 11, stays 11, then 11 -> 11
  });

  it('give the same states for additive and multiplicative errors (only the likelihood differs)', () => {
    const y = Float64Array.of(10, 12, 9, 14, 11, 13, 10, 15);
    const spec: EtsSpec = { error: 'A', trend: 'A', season: 'A', period: 2 };
    const params = { alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 1 };
    const init = { level: 11, slope: 0.2, season: Float64Array.of(-1, 1) };
    const additive = etsFilter(y, spec, params, init);
    const multiplicative = etsFilter(y, { ...spec, error: 'M' }, params, init);
    expect(multiplicative.final).toEqual(additive.final);
    expect(twiceNegativeLogLikelihood({ ...spec, error: 'M' }, multiplicative)).not.toBeCloseTo(twiceNegativeLogLikelihood(spec, additive));
  });

  it('forecast a trend linearly, and a damped trend towards a plateau', () => {
    const state = { level: 10, slope: 2, season: new Float64Array(1) };
    expect(Array.from(etsPointForecast({ ...ann, trend: 'A' }, none, state, 3))).toEqual([12, 14, 16]);
    const damped = etsPointForecast({ ...ann, trend: 'Ad' }, { ...none, phi: 0.5 }, state, 30);
    expect(damped[0]).toBeCloseTo(11, 12);
    expect(damped[29]).toBeCloseTo(12, 6); // 10 + 2 × (0.5 + 0.25 + …) → 12
  });

  it('repeat the seasonal pattern from the state after the last observation', () => {
    const forecast = etsPointForecast({ error: 'M', trend: 'N', season: 'M', period: 3 }, none, { level: 100, slope: 0, season: Float64Array.of(0.5, 1, 1.5) }, 4);
    expect(Array.from(forecast)).toEqual([50, 100, 150, 50]);
  });

  it('names models as Hyndman et al. do', () => {
    expect(etsName({ error: 'M', trend: 'Ad', season: 'M', period: 7 })).toBe('ETS(M,Ad,M)');
  });

  it('marks a multiplicative model invalid when its forecast goes non-positive', () => {
    const result = etsFilter(Float64Array.of(1, 2), { ...ann, error: 'M' }, none, { level: -1, slope: 0, season: new Float64Array(1) });
    expect(result.valid).toBe(false);
  });
});
