/** What nelderMead returns: the best point found, its value, and the work it took. */
export interface Minimum {
  x: Float64Array;
  value: number;
  evaluations: number;
  converged: boolean;
}

export interface NelderMeadOptions {
  /** The starting simplex's step along each axis (default 0.5 for every parameter). */
  step?: number | ArrayLike<number>;
  /** Stop after this many evaluations of f (default 200 × the number of parameters). */
  maxEvaluations?: number;
  /** Stop when the simplex's values differ by less than this, relative to the best (default 1e-8). */
  tolerance?: number;
}

/**
 * Minimizes a function of a few real parameters without derivatives: the Nelder-Mead simplex method
 * (Nelder & Mead 1965, "A simplex method for function minimization", The Computer Journal 7(4); the standard
 * coefficients and the shrink step as in Lagarias et al. 1998, SIAM J. Optim. 9(1)).
 *
 * Intuition: keep k + 1 points (a simplex) in k dimensions. Each step replaces the worst point by its reflection
 * through the centroid of the others; if that is a new best, try going twice as far (expansion); if it is still the
 * worst, pull it halfway back (contraction); if even that fails, shrink everything towards the best point. The
 * simplex tumbles downhill, stretches along valleys and shrinks around a minimum. It needs only function values,
 * which suits a likelihood computed by running a filter over the data, and with 2 to 6 parameters it converges in a
 * few hundred evaluations. R's forecast::ets uses the same method (through optim) for the same job.
 *
 * Edge cases: a function value that is NaN counts as +Infinity, so a penalty or an invalid region simply repels
 * the simplex; a start with no finite value returns at once, not converged. With zero parameters, f is evaluated
 * once at the empty point.
 *
 * @param f the function to minimize; it must not keep the array it is given
 * @param start the starting point
 * @returns the best point found, with converged false if the evaluation budget ran out first
 * @example
 * nelderMead((p) => (p[0]! - 1) ** 2 + (p[1]! + 2) ** 2, [0, 0]).x; // ≈ Float64Array [1, -2]
 */
export function nelderMead(f: (x: Float64Array) => number, start: ArrayLike<number>, options: NelderMeadOptions = {}): Minimum {
  const k = start.length;
  const maxEvaluations = options.maxEvaluations ?? 200 * Math.max(1, k);
  const tolerance = options.tolerance ?? 1e-8;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    evaluations++;
    const value = f(x);
    return Number.isNaN(value) ? Infinity : value;
  };

  // the simplex: k + 1 points and their values
  const points: Float64Array[] = [];
  const values = new Float64Array(k + 1);
  for (let i = 0; i <= k; i++) {
    const point = Float64Array.from(start);
    if (i > 0) {
      const step = typeof options.step === 'number' ? options.step : (options.step?.[i - 1] ?? 0.5);
      point[i - 1]! += step;
    }
    points.push(point);
    values[i] = evaluate(point);
  }
  if (k === 0 || !Number.isFinite(values[0]!)) {
    return { x: points[0]!, value: values[0]!, evaluations, converged: k === 0 };
  }

  const order = Array.from({ length: k + 1 }, (_, i) => i);
  const centroid = new Float64Array(k);
  const reflected = new Float64Array(k);
  const trial = new Float64Array(k);
  const move = (to: Float64Array, coefficient: number) => {
    // to = centroid + coefficient × (centroid − worst)
    const worst = points[order[k]!]!;
    for (let j = 0; j < k; j++) to[j] = centroid[j]! + coefficient * (centroid[j]! - worst[j]!);
  };
  const replaceWorst = (from: Float64Array, value: number) => {
    points[order[k]!]!.set(from);
    values[order[k]!] = value;
  };

  let converged = false;
  while (evaluations < maxEvaluations) {
    order.sort((a, b) => values[a]! - values[b]!);
    const best = values[order[0]!]!;
    const worst = values[order[k]!]!;
    if (Math.abs(worst - best) <= tolerance * (Math.abs(best) + tolerance)) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (let i = 0; i < k; i++) {
      const point = points[order[i]!]!;
      for (let j = 0; j < k; j++) centroid[j]! += point[j]! / k;
    }
    move(reflected, 1);
    const reflectedValue = evaluate(reflected);
    const secondWorst = values[order[k - 1]!]!;
    if (reflectedValue < best) {
      move(trial, 2);
      const expandedValue = evaluate(trial);
      if (expandedValue < reflectedValue) replaceWorst(trial, expandedValue);
      else replaceWorst(reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < secondWorst) {
      replaceWorst(reflected, reflectedValue);
      continue;
    }
    // contract: outside if the reflection improved on the worst, inside otherwise
    const outside = reflectedValue < worst;
    move(trial, outside ? 0.5 : -0.5);
    const contractedValue = evaluate(trial);
    if (contractedValue < (outside ? reflectedValue : worst)) {
      replaceWorst(trial, contractedValue);
      continue;
    }
    // shrink towards the best point
    const bestPoint = points[order[0]!]!;
    for (let i = 1; i <= k; i++) {
      const point = points[order[i]!]!;
      for (let j = 0; j < k; j++) point[j] = bestPoint[j]! + 0.5 * (point[j]! - bestPoint[j]!);
      values[order[i]!] = evaluate(point);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= k; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { x: points[bestIndex]!, value: values[bestIndex]!, evaluations, converged };
}
