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
 * Estimation uncertainty: the model's own equations treat the fitted states as known, but they were estimated from
 * the history, and intervals that ignore it are too narrow (Chatfield 1993, "Calculating interval forecasts",
 * JBES 11(2)), most of all for short histories, whose smoothing parameters fit near zero (a level "known" from
 * three weeks of data). So each path starts from states drawn around the fitted ones, with the sampling variance
 * of an exponentially weighted mean over the smoother's effective window, n_eff = min(n, (2 − α)/α) observations
 * (Brown 1963, "Smoothing, Forecasting and Prediction"): σ²/n_eff for the level, the least-squares slope variance
 * 12σ²/(n_eff(n_eff² − 1)) for the slope (with β), and σ²/n_eff per seasonal term (with γ, counting seasons).
 * The draw is made once per path and kept along it, since an estimation error persists. Long histories with
 * quick smoothing have large n_eff for nothing and small ones for what adapts, so the term then nearly vanishes.
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
  const spread = stateSpread(fit);


  for (let p = 0; p < count; p++) {
    let level = final.level;
    let slope = final.slope;
    season.set(final.season);
    // this path's estimation error of the states; relative to the level for multiplicative errors
    const unit = multiplicativeError ? Math.abs(final.level) : 1;
    level += unit * spread.level * normal();
    if (hasTrend) slope += unit * spread.slope * normal();
    if (multiplicativeSeason) for (let j = 0; j < m; j++) season[j]! *= Math.max(1 + spread.season * normal(), 0);
    else if (additiveSeason) for (let j = 0; j < m; j++) season[j]! += unit * spread.season * normal();
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

/**
 * Standard errors of the fitted final states (in units of σ times the level's unit): see simulateEts. With an
 * undamped or damped trend the slope counts; seasonal terms are estimated once per season.
 */
export function stateSpread(fit: EtsFit): { level: number; slope: number; season: number } {
  const sigma = Math.sqrt(fit.sigma2);
  const n = Math.max(fit.observations, 1);
  const window = (smoothing: number, available: number) => Math.max(1, Math.min(available, (2 - smoothing) / Math.max(smoothing, 1e-9)));
  const nLevel = window(fit.params.alpha, n);
  const nSlope = Math.max(window(fit.params.beta, n), 2);
  const m = fit.final.season.length;
  const nSeason = window(fit.params.gamma, Math.max(n / m, 1));
  return {
    level: sigma / Math.sqrt(nLevel),
    slope: fit.spec.trend === 'N' ? 0 : sigma * Math.sqrt(12 / (nSlope * (nSlope * nSlope - 1))),
    season: fit.spec.season === 'N' ? 0 : sigma / Math.sqrt(nSeason),
  };
}
