import type { EtsFit } from './fit.js';

/**
 * Simulated futures of a fitted ETS model: `count` sample paths of `horizon` steps, drawn by running the model's
 * own equations forward with random innovations (Hyndman et al. 2008, section 6.1; FPP3 section 8.7).
 *
 * Intuition: the model says how tomorrow follows from today's states plus a surprise of known spread. Draw the
 * surprise, compute tomorrow, update the states as if it had been observed, and go on. Each path is one possible
 * future with the right dependence between its days: a high Monday raises the level, so the Tuesday after it is
 * likely high too. That dependence is exactly what a sum of days needs, and why the interval of a month's total
 * must come from paths (or the exact variance of the sum), never from adding the days' own quantiles.
 *
 * Innovations: additive errors are σ·z, multiplicative ones μ·σ·z, with z standard normal.
 * A lower bound (0 for spend) censors each simulated value, and the states update with the censored value, so a
 * path never goes below the bound nor learns from a value it could not have had.
 *
 * Edge cases: σ = 0 gives `count` copies of the point forecast.
 *
 * @param fit the fitted model
 * @param horizon steps ahead to simulate
 * @param count number of paths
 * @param normal a standard normal generator (seeded, for reproducible intervals)
 * @param lowerBound the smallest possible value, or null for none
 * @returns the paths, path after path: value of path p at step h (1-based) is at p × horizon + h − 1
 * @example
 * const paths = simulateEts(fit, 30, 1000, normalSampler(mulberry32(1)), 0);
 */
export function simulateEts(
  fit: EtsFit,
  horizon: number,
  count: number,
  normal: () => number,
  lowerBound: number | null,
): Float64Array {
  const { spec, params, final } = fit;
  const m = final.season.length;
  const hasTrend = spec.trend !== 'N';
  const phi = hasTrend ? params.phi : 0;
  const { alpha, beta, gamma } = params;
  const sigma = Math.sqrt(fit.sigma2);
  const multiplicativeError = spec.error === 'M';
  const multiplicativeSeason = spec.season === 'M';
  const additiveSeason = spec.season === 'A';
  const bounded = lowerBound !== null;
  const bound = lowerBound ?? 0;
  const out = new Float64Array(count * horizon);
  const season = new Float64Array(m);

  for (let p = 0; p < count; p++) {
    let level = final.level;
    let slope = final.slope;
    season.set(final.season);
    let slot = 0;
    const offset = p * horizon;
    for (let h = 0; h < horizon; h++) {
      const trended = level + phi * slope;
      const s = season[slot]!;
      const mean = multiplicativeSeason ? trended * s : additiveSeason ? trended + s : trended;
      const z = normal();
      let value = multiplicativeError ? mean * (1 + sigma * z) : mean + sigma * z;
      if (bounded && value < bound) value = bound;
      out[offset + h] = value;
      const e = value - mean;
      if (multiplicativeSeason) {
        const safeSeason = s > 1e-12 ? s : 1e-12;
        const safeTrended = trended > 1e-12 ? trended : 1e-12;
        level = trended + (alpha * e) / safeSeason;
        slope = phi * slope + (beta * e) / safeSeason;
        season[slot] = s + (gamma * e) / safeTrended;
      } else {
        level = trended + alpha * e;
        slope = phi * slope + beta * e;
        if (additiveSeason) season[slot] = s + gamma * e;
      }
      if (++slot === m) slot = 0;
    }
  }
  return out;
}
