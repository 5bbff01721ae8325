import { describe, expect, it } from 'vitest';
import { interventionModel, replayInterventions, type Interventions } from '../../functions/forecast/interventions.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';
import { cleanSeries } from '../../functions/forecast/robust.js';

const flat = (count: number, horizon: number, value = 100) => new Float64Array(count * horizon).fill(value);
const replay = (paths: Float64Array, count: number, horizon: number, model: Interventions, seed = 1) => {
  const random = mulberry32(seed);
  replayInterventions(paths, count, horizon, model, random, normalSampler(random), 0);
  return paths;
};
const none: Interventions = { scale: 'ratio', outlierSizes: new Float64Array(0), outlierPlaces: 0, shiftSizes: new Float64Array(0), shiftPlaces: 0 };

describe('interventionModel', () => {
  it('keeps the incidents and launches a history had, as log sizes and the places they could have been', () => {
    const z = normalSampler(mulberry32(3));
    const y = Float64Array.from({ length: 200 }, (_, t) => (t >= 120 ? 300 : 100) * (t === 40 || t === 160 ? 6 : 1) * Math.exp(0.05 * z()));
    const model = interventionModel(cleanSeries(y, 1));
    expect(model.scale).toBe('ratio');
    expect(model.outlierSizes).toHaveLength(2);
    expect(model.outlierPlaces).toBe(200);
    expect(model.shiftSizes).toHaveLength(1);
    expect(Math.exp(model.shiftSizes[0]!)).toBeCloseTo(3, 0);
    expect(model.shiftPlaces).toBeGreaterThan(150);
  });
});

describe('replayInterventions', () => {
  it('leaves the paths alone when the history had no outliers or shifts', () => {
    expect(replay(flat(50, 10), 50, 10, none)).toEqual(flat(50, 10));
  });

  it('puts outliers back at the rate the history had them, each a size the history had, one step each', () => {
    const model: Interventions = { ...none, outlierSizes: Float64Array.of(Math.log(5)), outlierPlaces: 50 }; // 1 in 50 days
    const paths = replay(flat(2000, 30), 2000, 30, model);
    const hit = paths.filter((v) => v !== 100);
    expect(hit.every((v) => Math.abs(v - 500) < 1e-9 || Math.abs(v - 2500) < 1e-9)).toBe(true); // ×5 (twice: ×25, rarely)
    expect(hit.length / paths.length).toBeGreaterThan(0.015);
    expect(hit.length / paths.length).toBeLessThan(0.025);
  });

  it('makes a shift last from the step it happens on to the end of the path', () => {
    const model: Interventions = { ...none, shiftSizes: Float64Array.of(Math.log(2)), shiftPlaces: 20 };
    const paths = replay(flat(500, 20), 500, 20, model);
    let shifted = 0;
    for (let p = 0; p < 500; p++) {
      const path = Array.from(paths.subarray(p * 20, (p + 1) * 20));
      const first = path.findIndex((v) => v !== 100);
      if (first < 0) continue;
      shifted++;
      expect(path.slice(first).every((v, h) => v >= path[first + Math.max(h - 1, 0)]!)).toBe(true); // never back down
    }
    expect(shifted).toBeGreaterThan(100); // rate 1/20 a step: most paths of 20 steps shift, though the rate itself is uncertain
  });

  it('adds differences on the difference scale and keeps a lower bound', () => {
    const model: Interventions = { ...none, scale: 'difference', outlierSizes: Float64Array.of(-150), outlierPlaces: 10 };
    const paths = replay(flat(200, 10), 200, 10, model);
    expect(new Set(paths)).toEqual(new Set([100, 0]));
  });

  it('is deterministic: the same seed gives the same paths', () => {
    const model: Interventions = { ...none, outlierSizes: Float64Array.of(1, 2), outlierPlaces: 30 };
    expect(replay(flat(100, 28), 100, 28, model, 7)).toEqual(replay(flat(100, 28), 100, 28, model, 7));
  });
});
