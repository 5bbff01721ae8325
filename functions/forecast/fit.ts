import { etsFilter, twiceNegativeLogLikelihood, type EtsParams, type EtsSpec, type EtsState } from './ets.js';
import { initialStates } from './initial-states.js';
import { nelderMead } from './nelder-mead.js';

/** A fitted ETS model: its parameters, its states at both ends of the data and its information criteria. */
export interface EtsFit {
  spec: EtsSpec;
  params: EtsParams;
  /** The state before the first observation. */
  initial: EtsState;
  /** The state after the last observation, from which forecasts start. */
  final: EtsState;
  /** The innovation variance: of e (additive errors) or of e/μ (multiplicative errors), Σ / (n − k). */
  sigma2: number;
  /** The log-likelihood, up to a constant shared by every model fitted to the same data. */
  logLikelihood: number;
  aic: number;
  /** AIC with the small-sample correction (Hurvich & Tsai 1989), the criterion models are selected by. */
  aicc: number;
  /** Estimated parameters, counting σ. */
  parameters: number;
  /** Observations used (not missing). */
  observations: number;
  /** Evaluations of the likelihood the optimizer spent. */
  evaluations: number;
}

export interface FitOptions {
  /** A warm start, e.g. the parameters of a simpler model fitted to the same data. */
  start?: Partial<EtsParams>;
  /**
   * Also estimate the m − 1 free initial seasonal terms by maximum likelihood (as R's ets does), instead of
   * keeping the moving-average estimate. Worth it for short series, whose first seasons weigh on every forecast.
   */
  optimizeSeasonStates?: boolean;
  /** Cap on likelihood evaluations (default: 40 per estimated quantity plus 100). */
  maxEvaluations?: number;
}

/** The "usual" parameter region of Hyndman et al. (2008, section 10.1): 0 < β < α < 1, 0 < γ < 1 − α, 0.8 < φ < 0.98. */
export const parameterBounds = { lower: 1e-4, upper: 0.9999, phiLower: 0.8, phiUpper: 0.98 } as const;

const logistic = (u: number) => 1 / (1 + Math.exp(-u));
const logit = (p: number) => Math.log(p / (1 - p));
const clampOpen = (p: number) => Math.min(Math.max(p, 1e-6), 1 - 1e-6);

/**
 * Fits one ETS model by maximum likelihood: the smoothing parameters, the initial level and slope (and, if asked,
 * the initial seasonal terms) that minimize twice the negative concentrated log-likelihood, found by Nelder-Mead
 * (Hyndman et al. 2008, chapter 5; FPP3 section 8.6).
 *
 * Intuition: each candidate set of parameters is run over the history, producing one-step-ahead forecast errors;
 * the likelihood rewards small errors (relative ones, for multiplicative errors). The optimizer works on an
 * unconstrained scale: each smoothing parameter is a logistic function of a free number mapped into the usual
 * region (so β stays below α and γ below 1 − α by construction), and each initial state is an offset from the
 * moving-average estimate, in units of the data's spread. No penalty walls, so the simplex never sticks on one.
 *
 * Edge cases: returns null when no parameters keep the model defined (e.g. a multiplicative model whose forecasts
 * go non-positive) or the data are too few for the parameters (n ≤ k + 1, where AICc is undefined).
 *
 * @param y the series, oldest first, NaN for missing
 * @param spec the model to fit
 * @returns the fit, or null when the model cannot be fitted to these data
 * @example
 * fitEts(Float64Array.from([10, 12, 11, 13, 12, 14, 13, 15]), { error: 'A', trend: 'N', season: 'N', period: 1 })?.params.alpha;
 */
export function fitEts(y: Float64Array, spec: EtsSpec, options: FitOptions = {}): EtsFit | null {
  const m = spec.season === 'N' ? 1 : spec.period;
  const hasTrend = spec.trend !== 'N';
  const damped = spec.trend === 'Ad';
  const seasonal = spec.season !== 'N';
  const freeSeason = seasonal && options.optimizeSeasonStates ? m - 1 : 0;

  const guess = initialStates(y, spec);
  const spread = dataSpread(y);
  const { lower, upper, phiLower, phiUpper } = parameterBounds;

  // the starting point: R's defaults (forecast:::initparam), or the caller's warm start if it fits better there
  const defaults = startVector({}, m, hasTrend, seasonal, damped, freeSeason);
  const warm = options.start ? startVector(options.start, m, hasTrend, seasonal, damped, freeSeason) : undefined;
  const steps = new Array<number>(defaults.length).fill(1);
  const firstState = 1 + (hasTrend ? 1 : 0) + (seasonal ? 1 : 0) + (damped ? 1 : 0);

  const levelScale = spread;
  const slopeScale = spread / Math.max(m, 2);
  const seasonScale = spec.season === 'M' ? 0.05 : spread;

  const params = smoothingParameters(0, 0, 0, 1);
  const init: EtsState = { level: 0, slope: 0, season: Float64Array.from(guess.season) };
  const decode = (u: ArrayLike<number>) => {
    let i = 0;
    params.alpha = lower + (upper - lower) * logistic(u[i++]!);
    params.beta = hasTrend ? lower + Math.max(params.alpha - lower, 0) * logistic(u[i++]!) : 0;
    params.gamma = seasonal ? lower + Math.max(1 - params.alpha - lower, 0) * logistic(u[i++]!) : 0;
    params.phi = damped ? phiLower + (phiUpper - phiLower) * logistic(u[i++]!) : 1;
    init.level = guess.level + levelScale * u[i++]!;
    init.slope = hasTrend ? guess.slope + slopeScale * u[i++]! : 0;
    if (freeSeason > 0) {
      let sum = 0;
      for (let j = 0; j < m - 1; j++) {
        init.season[j] = guess.season[j]! + seasonScale * u[i++]!;
        sum += init.season[j]!;
      }
      init.season[m - 1] = spec.season === 'M' ? m - sum : -sum;
    }
  };

  const objective = (u: Float64Array) => {
    decode(u);
    return twiceNegativeLogLikelihood(spec, etsFilter(y, spec, params, init));
  };
  const dimensions = defaults.length;
  const start = warm && objective(Float64Array.from(warm)) < objective(Float64Array.from(defaults)) ? warm : defaults;
  const budget = options.maxEvaluations ?? 100 + 40 * dimensions;
  let best = nelderMead(objective, start, { step: steps, maxEvaluations: budget, tolerance: 1e-6 });
  // one restart from the optimum with a fresh simplex: the standard remedy for a simplex that collapsed early
  // (Nelder & Mead 1965, section 4; Press et al. 2007, "Numerical Recipes", 3rd ed., section 10.5)
  const again = nelderMead(objective, best.x, { step: steps, maxEvaluations: Math.ceil(budget / 4), tolerance: 1e-6 });
  const evaluations = best.evaluations + again.evaluations;
  if (again.value < best.value) best = again;
  if (!Number.isFinite(best.value)) return null;

  decode(best.x);
  const result = etsFilter(y, spec, params, init);
  const n = result.count;
  // estimated: the smoothing parameters, the initial states (the seasonal ones count whether optimized or not,
  // as they are estimated from the data either way) and σ
  const parameters = firstState + 1 + (hasTrend ? 1 : 0) + (seasonal ? m - 1 : 0) + 1;
  if (n <= parameters + 1) return null;
  const twiceNll = twiceNegativeLogLikelihood(spec, result);
  const aic = twiceNll + 2 * parameters;
  const aicc = aic + (2 * parameters * (parameters + 1)) / (n - parameters - 1);
  const sumSquares = spec.error === 'A' ? result.sumSquares : result.sumSquaresRelative;
  return {
    spec,
    // the optimizer's own object, not a copy: one object shape reaches etsFilter (see smoothingParameters)
    params,
    initial: { level: init.level, slope: init.slope, season: Float64Array.from(init.season) },
    final: result.final,
    sigma2: sumSquares / Math.max(n - parameters, 1),
    logLikelihood: -0.5 * twiceNll,
    aic,
    aicc,
    parameters,
    observations: n,
    evaluations,
  };
}

/**
 * A set of smoothing parameters. Every parameter object that reaches etsFilter is made here, so that they all
 * share one shape: a copy made otherwise (`{ ...params }`) has another, and the filter, meeting both, is
 * deoptimized, which makes fitting up to three times slower.
 */
export function smoothingParameters(alpha: number, beta: number, gamma: number, phi: number): EtsParams {
  return { alpha, beta, gamma, phi };
}

/** A scale for the data: the standard deviation of the observed values, or a small positive number if they are flat. */
function dataSpread(y: Float64Array): number {
  let count = 0;
  let sum = 0;
  let squares = 0;
  for (const v of y) {
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    squares += v * v;
  }
  const mean = count > 0 ? sum / count : 0;
  const variance = count > 1 ? Math.max(squares / count - mean * mean, 0) : 0;
  const sd = Math.sqrt(variance);
  return sd > 0 ? 0.25 * sd : Math.max(Math.abs(mean) * 1e-3, 1e-6);
}

/**
 * The optimizer's starting point on its unconstrained scale: the given smoothing parameters (else R's defaults:
 * α = 0.2/m, β = 0.1α, γ = 0.05(1 − α), φ = 0.978), moved into the usual region, and zero offsets for the states.
 */
function startVector(given: Partial<EtsParams>, m: number, hasTrend: boolean, seasonal: boolean, damped: boolean, freeSeason: number): number[] {
  const { lower, upper, phiLower, phiUpper } = parameterBounds;
  const alpha = clampOpen(given.alpha ?? lower + (0.2 * (upper - lower)) / m);
  const beta = Math.min(given.beta ?? 0.1 * alpha, 0.98 * alpha);
  const gamma = Math.min(given.gamma ?? 0.05 * (1 - alpha), 0.98 * (1 - alpha));
  const phi = Math.min(Math.max(given.phi ?? 0.978, phiLower + 1e-3), phiUpper - 1e-3);
  const start = [logit(clampOpen((alpha - lower) / (upper - lower)))];
  if (hasTrend) start.push(logit(clampOpen((beta - lower) / Math.max(alpha - lower, 1e-9))));
  if (seasonal) start.push(logit(clampOpen((gamma - lower) / Math.max(1 - alpha - lower, 1e-9))));
  if (damped) start.push(logit(clampOpen((phi - phiLower) / (phiUpper - phiLower))));
  start.push(0);
  if (hasTrend) start.push(0);
  for (let j = 0; j < freeSeason; j++) start.push(0);
  return start;
}
