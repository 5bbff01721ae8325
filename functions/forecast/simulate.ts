import type { EtsFit } from './fit.js';

/** A fitted model with a weight: one component of a mixture of models to simulate from (see smoothingPosterior). */
export interface WeightedFit {
  fit: EtsFit;
  weight: number;
}

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
 * 12σ²/(n_eff(n_eff² − 1)) for the slope (with β), and σ²/n_eff per seasonal term (with γ, counting seasons),
 * centred across the terms: the seasonal terms are only defined up to their mean, which is the level's (drawn
 * already), so a common error in all of them would count the level's uncertainty twice (and a total over whole
 * weeks, which the seasonal errors do not move, would come out too wide). The draw is made once per path and kept
 * along it, since an estimation error persists. Long histories with quick smoothing have large n_eff for nothing
 * and small ones for what adapts, so the term then nearly vanishes.
 *
 * Parameter and model uncertainty: given a mixture of weighted fits instead of one (other smoothing parameters,
 * other models: see smoothingPosterior and forecastSeries), each path first draws its fit with probability
 * proportional to the weight and then runs it: a sample of the predictive distribution that averages over the
 * parameters (and models) rather than plugging in one estimate.
 *
 * Edge cases: σ = 0 gives `count` copies of the point forecast; weights need not sum to 1.
 *
 * @param model the fitted model, or a mixture of weighted fits
 * @param horizon steps ahead to simulate
 * @param count number of paths
 * @param normal a standard normal generator (seeded, for reproducible intervals)
 * @param lowerBound the smallest possible value, or null for none
 * @param random a uniform generator on [0, 1) for the choice of a path's fit (seeded; unused for a single fit)
 * @returns the paths, path after path: value of path p at step h (1-based) is at p × horizon + h − 1
 * @throws RangeError for an empty mixture
 * @example
 * const paths = simulateEts(fit, 30, 1000, normalSampler(mulberry32(1)), 0);
 */
export function simulateEts(
  model: EtsFit | readonly WeightedFit[],
  horizon: number,
  count: number,
  normal: () => number,
  lowerBound: number | null,
  random: () => number = () => 0,
): Float64Array {
  const mixture = Array.isArray(model) ? (model as readonly WeightedFit[]) : [{ fit: model as EtsFit, weight: 1 }];
  const k = mixture.length;
  if (k === 0) throw new RangeError('sample paths need at least one fitted model');
  const bounded = lowerBound !== null;
  const bound = lowerBound ?? 0;
  const out = new Float64Array(count * horizon);

  // each component's numbers in typed arrays, read per path without touching the fit objects (of several shapes)
  const kinds = new Uint8Array(k); // bit 1: trend, 2: multiplicative error, 4: multiplicative season, 8: additive season
  const periods = new Int32Array(k);
  const firstSeason = new Int32Array(k);
  const alphas = new Float64Array(k);
  const betas = new Float64Array(k);
  const gammas = new Float64Array(k);
  const phis = new Float64Array(k);
  const sigmas = new Float64Array(k);
  const levels = new Float64Array(k);
  const slopes = new Float64Array(k);
  const levelSpreads = new Float64Array(k);
  const slopeSpreads = new Float64Array(k);
  const seasonSpreads = new Float64Array(k);
  const cumulative = new Float64Array(k);
  let seasonTerms = 0;
  let longest = 1;
  for (const { fit } of mixture) {
    seasonTerms += fit.final.season.length;
    longest = Math.max(longest, fit.final.season.length);
  }
  const seasons = new Float64Array(seasonTerms);
  let total = 0;
  let at = 0;
  mixture.forEach(({ fit, weight }, c) => {
    const { spec, params, final } = fit;
    const hasTrend = spec.trend !== 'N';
    kinds[c] = (hasTrend ? 1 : 0) | (spec.error === 'M' ? 2 : 0) | (spec.season === 'M' ? 4 : 0) | (spec.season === 'A' ? 8 : 0);
    periods[c] = final.season.length;
    firstSeason[c] = at;
    seasons.set(final.season, at);
    at += final.season.length;
    alphas[c] = params.alpha;
    betas[c] = params.beta;
    gammas[c] = params.gamma;
    phis[c] = hasTrend ? params.phi : 0;
    sigmas[c] = Math.sqrt(fit.sigma2);
    levels[c] = final.level;
    slopes[c] = hasTrend ? final.slope : 0;
    const spread = stateSpread(fit);
    levelSpreads[c] = spread.level;
    slopeSpreads[c] = spread.slope;
    seasonSpreads[c] = spread.season;
    cumulative[c] = total += Math.max(weight, 0);
  });
  const season = new Float64Array(longest);
  const seasonErrors = new Float64Array(longest);

  for (let p = 0; p < count; p++) {
    // this path's fit: one draw from the mixture (the only one, for a single fit)
    let c = 0;
    if (k > 1) {
      const u = random() * total;
      while (c < k - 1 && cumulative[c]! <= u) c++;
    }
    const kind = kinds[c]!;
    const hasTrend = (kind & 1) !== 0;
    const multiplicativeError = (kind & 2) !== 0;
    const multiplicativeSeason = (kind & 4) !== 0;
    const additiveSeason = (kind & 8) !== 0;
    const m = periods[c]!;
    const alpha = alphas[c]!;
    const beta = betas[c]!;
    const gamma = gammas[c]!;
    const phi = phis[c]!;
    const sigma = sigmas[c]!;
    let level = levels[c]!;
    let slope = slopes[c]!;
    for (let j = 0; j < m; j++) season[j] = seasons[firstSeason[c]! + j]!;
    // this path's estimation error of the states; relative to the level for multiplicative errors
    const unit = multiplicativeError ? Math.abs(level) : 1;
    level += unit * levelSpreads[c]! * normal();
    if (hasTrend) slope += unit * slopeSpreads[c]! * normal();
    const seasonSpread = seasonSpreads[c]!;
    if ((multiplicativeSeason || additiveSeason) && seasonSpread > 0) {
      // the seasonal terms' errors, centred: what moves all of them together is the level's, drawn above
      let centre = 0;
      for (let j = 0; j < m; j++) centre += (seasonErrors[j] = seasonSpread * normal()) / m;
      if (multiplicativeSeason) for (let j = 0; j < m; j++) season[j]! *= Math.max(1 + seasonErrors[j]! - centre, 0);
      else for (let j = 0; j < m; j++) season[j]! += unit * (seasonErrors[j]! - centre);
    }
    let slot = 0;
    const offset = p * horizon;
    for (let h = 0; h < horizon; h++) {
      const trended = level + phi * slope;
      const s = season[slot]!;
      const mean = multiplicativeSeason ? trended * s : additiveSeason ? trended + s : trended;
      const z = normal();
      let value = multiplicativeError ? mean * (1 + sigma * z) : mean + sigma * z;
      const censored = bounded && value < bound;
      if (censored) value = bound;
      out[offset + h] = value;
      const e = value - mean;
      if (multiplicativeSeason) {
        // e / s and e / (ℓ + φb); with multiplicative errors and no censoring e = (ℓ + φb)·s·σz, so no division
        let perSeason: number;
        let perTrended: number;
        if (multiplicativeError && !censored && s > 1e-12 && trended > 1e-12) {
          perSeason = trended * sigma * z;
          perTrended = s * sigma * z;
        } else {
          perSeason = e / (s > 1e-12 ? s : 1e-12);
          perTrended = e / (trended > 1e-12 ? trended : 1e-12);
        }
        level = trended + alpha * perSeason;
        if (hasTrend) slope = phi * slope + beta * perSeason;
        season[slot] = s + gamma * perTrended;
      } else {
        level = trended + alpha * e;
        if (hasTrend) slope = phi * slope + beta * e;
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
