import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../functions/forecast/nelder-mead.js';

describe('Nelder-Mead', () => {
  it.each([
    { name: 'a shifted bowl', f: (p: Float64Array) => (p[0]! - 1) ** 2 + (p[1]! + 2) ** 2, start: [0, 0], expected: [1, -2] },
    { name: "Rosenbrock's banana valley", f: (p: Float64Array) => 100 * (p[1]! - p[0]! ** 2) ** 2 + (1 - p[0]!) ** 2, start: [-1.2, 1], expected: [1, 1] },
    { name: 'one dimension', f: (p: Float64Array) => Math.abs(p[0]! - 3), start: [0], expected: [3] },
  ])('finds the minimum of $name', ({ f, start, expected }) => {
    const result = nelderMead(f, start, { maxEvaluations: 5000, tolerance: 1e-12 });
    expected.forEach((x, i) => expect(result.x[i]).toBeCloseTo(x, 3));
  });

  it('treats NaN as +Infinity, so an invalid region repels the simplex', () => {
    const result = nelderMead((p) => (p[0]! < 0 ? NaN : (p[0]! - 2) ** 2), [1], { tolerance: 1e-12 });
    expect(result.x[0]).toBeCloseTo(2, 4);
  });

  it('stops at its evaluation budget and says it did not converge', () => {
    const result = nelderMead((p) => p[0]! ** 2 + p[1]! ** 2, [5, 5], { maxEvaluations: 10, tolerance: 0 });
    expect(result.evaluations).toBeLessThanOrEqual(12);
    expect(result.converged).toBe(false);
  });
});
