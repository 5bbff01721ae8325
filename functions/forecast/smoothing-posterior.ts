import { etsFilter, twiceNegativeLogLikelihood } from './ets.js';
import { parameterBounds, smoothingParameters, type EtsFit } from './fit.js';
import type { WeightedFit } from './simulate.js';

/** The values of α the likelihood is evaluated at (the fitted α is added): 0.05 apart across the usual region. */
const grid = Array.from({ length: 20 }, (_, k) => (k === 0 ? parameterBounds.lower : k / 20));

/**
 * The fitted model at other values of the level smoothing parameter α, each weighted by how well it explains the
 * history: an approximate posterior for α (uniform prior, the other parameters and the initial states held at
 * their estimates), to simulate from so that sample paths carry the uncertainty of α as well as that of the future.
 *
 * Intuition: α decides how far the level wanders, and so how wide a month's total can be: with α = 0 the level is
 * fixed for ever, and a month is as sure as its days' noise allows; with α = 0.2 the level drifts and a month's
 * total with it. A short history cannot tell these apart: its likelihood is nearly flat in α, and the estimate
 * often lands on 0 exactly even when the level does move (the "pile-up" of Shephard & Harvey 1990, "On the
 * probability of estimating a deterministic component in the local level model", JTSA 11(4)). Plugging in the
 * estimate then gives intervals that are too narrow, the more so the longer the horizon (Chatfield 1993,
 * "Calculating interval forecasts", JBES 11(2)); the simulated intervals of Hyndman et al. 2008 (section 6.1) take
 * the parameters as known. Weighting each α by its likelihood and drawing a path's α from those weights is the
 * Bayesian predictive distribution on a grid (Box & Tiao 1973, "Bayesian Inference in Statistical Analysis",
 * chapter 1), with a uniform prior on α. A long history's likelihood is sharp, so nearly all the weight stays on
 * the estimate and little changes.
 *
 * Each grid value reruns the filter over the history (one pass, no optimization), which gives its likelihood, its
 * final states (where a quicker α ends up after the same data) and its own σ. Weights are the likelihood times the
 * width of the grid cell around each value, so the fitted α, added to the grid, does not count twice. The grid is
 * walked outwards from the fitted α and each way stops once the likelihood has fallen by a factor e^10 from the
 * best: a long history costs a few passes, a short one the whole grid.
 *
 * Edge cases: values outside the usual region for the fitted β and γ (α ≤ β, α + γ ≥ 1) and values where the model
 * is undefined (a multiplicative model whose forecasts go non-positive) are left out; the fitted α always stays.
 *
 * @param y the history the model was fitted to
 * @param fit the fitted model
 * @returns the fitted model and its variants, weights summing to 1, in increasing α
 * @example
 * const posterior = smoothingPosterior(history, fit);
 * simulateEts(posterior, 28, 1000, normal, 0, random); // paths that also carry the uncertainty of α
 */
export function smoothingPosterior(y: Float64Array, fit: EtsFit): WeightedFit[] {
  const { spec, params } = fit;
  const alphas = [...grid.filter((a) => Math.abs(a - params.alpha) > 1e-3), params.alpha].sort((a, b) => a - b);
  const fitted = alphas.indexOf(params.alpha);
  const scores = new Float64Array(alphas.length).fill(NaN);
  const variants: (EtsFit | undefined)[] = new Array(alphas.length);
  scores[fitted] = -2 * fit.logLikelihood;
  variants[fitted] = fit;
  let best = scores[fitted]!;
  // walk out from the fitted α both ways, as long as the likelihood keeps some weight (a ratio above e^−10)
  for (const direction of [1, -1]) {
    for (let i = fitted + direction; i >= 0 && i < alphas.length; i += direction) {
      const alpha = alphas[i]!;
      if ((spec.trend !== 'N' && alpha <= params.beta) || (spec.season !== 'N' && alpha + params.gamma >= 1)) break;
      const p = smoothingParameters(alpha, params.beta, params.gamma, params.phi);
      const result = etsFilter(y, spec, p, fit.initial);
      const score = twiceNegativeLogLikelihood(spec, result);
      if (!Number.isFinite(score)) break;
      const sumSquares = spec.error === 'A' ? result.sumSquares : result.sumSquaresRelative;
      scores[i] = score;
      variants[i] = { ...fit, params: p, final: result.final, sigma2: sumSquares / Math.max(result.count - fit.parameters, 1), logLikelihood: -0.5 * score };
      if (score < best) best = score;
      if (score - best > 20) break;
    }
  }
  const kept: number[] = [];
  for (let i = 0; i < alphas.length; i++) if (variants[i]) kept.push(i);
  let total = 0;
  const out = kept.map((i, j) => {
    const left = j > 0 ? (alphas[i]! + alphas[kept[j - 1]!]!) / 2 : 0;
    const right = j + 1 < kept.length ? (alphas[i]! + alphas[kept[j + 1]!]!) / 2 : 1;
    const weight = Math.exp(-0.5 * (scores[i]! - best)) * (right - left);
    total += weight;
    return { fit: variants[i]!, weight };
  });
  for (const component of out) component.weight /= total;
  return out;
}
