/**
 * The exponential smoothing state space models ("ETS") of Hyndman, Koehler, Ord & Snyder (2008), "Forecasting with
 * Exponential Smoothing: The State Space Approach" (Springer), chapter 2, and Hyndman & Athanasopoulos,
 * "Forecasting: Principles and Practice" 3rd ed. (2021), section 8.5, table 8.7.
 *
 * A model is named by its Error, Trend and Season: error A (additive) or M (multiplicative); trend N (none),
 * A (additive) or Ad (additive damped); season N, A or M. ETS(M,Ad,M) is a damped trend with multiplicative weekly
 * pattern and errors proportional to the level. Multiplicative trends are left out, as R's forecast::ets leaves
 * them out by default: they extrapolate explosively and rarely forecast better.
 *
 * Intuition: the model carries a level ℓ, a slope b and m seasonal terms s. Each period it forecasts
 * μ = (ℓ + φb) ⊕ s (⊕ is + for additive season, × for multiplicative), sees the actual y, and moves each state a
 * fraction of the way towards what the error e = y − μ says: α for the level, β for the slope, γ for the season.
 * Small fractions mean a long memory; large ones follow the latest days. The damping φ < 1 makes the slope fade,
 * so a trend is not extrapolated for ever.
 *
 * Written in the error-correction form with e = y − μ, the state equations are the same for additive and
 * multiplicative errors (Hyndman et al. 2008, table 2.3); the error type changes only the likelihood, and so which
 * parameters fit best and how simulated futures spread:
 *
 *     additive season:        ℓ' = ℓ + φb + αe          b' = φb + βe          s' = s + γe
 *     multiplicative season:  ℓ' = ℓ + φb + αe/s        b' = φb + βe/s        s' = s + γe/(ℓ + φb)
 *
 * (φ = 1 for an undamped trend; b = 0 without trend.) A missing observation (NaN) has e = 0: the states move on by
 * their own dynamics and the step adds nothing to the likelihood: the state space treatment of missing values
 * (Durbin & Koopman 2012, "Time Series Analysis by State Space Methods", 2nd ed., section 4.10).
 */

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
  /** The season length m: 7 for days in a week, 12 for months in a year; 1 when season is N. */
  period: number;
}

/** Smoothing parameters; those a model does not use are 0 (β, γ) or 1 (φ). */
export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/**
 * The states at a point in time. `season` holds the m seasonal terms; season[j] is the one used j + 1 steps after
 * this point (so season[0] is the term for the next period).
 */
export interface EtsState {
  level: number;
  slope: number;
  season: Float64Array;
}

/** What one pass of the filter over the data yields: the sums the likelihood needs and the final state. */
export interface FilterResult {
  /** False when the states left the region where the model is defined (a non-positive μ for M models). */
  valid: boolean;
  /** Observations used (not missing). */
  count: number;
  /** Σ e², the sum of squared one-step errors. */
  sumSquares: number;
  /** Σ (e / μ)², the sum of squared relative errors. */
  sumSquaresRelative: number;
  /** Σ log |μ|. */
  sumLogMean: number;
  final: EtsState;
}

/** 'ETS(M,Ad,M)' */
export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

/**
 * Runs the model over the data from an initial state: the one-step forecasts, their errors and the states,
 * accumulating what the likelihood needs. `fitted` and `errors`, if given, receive μ and e per period.
 *
 * @example
 * // simple exponential smoothing with α = 0.5 from level 10: forecasts 10, 11, 10.5
 * etsFilter(Float64Array.of(12, 10, 11), { error: 'A', trend: 'N', season: 'N', period: 1 },
 *   { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, { level: 10, slope: 0, season: new Float64Array(1) }).final.level; // 10.75
 */
export function etsFilter(
  y: Float64Array,
  spec: EtsSpec,
  params: EtsParams,
  init: EtsState,
  output?: { fitted?: Float64Array; errors?: Float64Array },
): FilterResult {
  const m = spec.season === 'N' ? 1 : spec.period;
  const hasTrend = spec.trend !== 'N';
  const seasonal = spec.season !== 'N';
  const multiplicativeSeason = spec.season === 'M';
  const multiplicativeError = spec.error === 'M';
  const { alpha, beta, gamma } = params;
  const phi = hasTrend ? params.phi : 0;
  const season = Float64Array.from(init.season.length === m ? init.season : new Float64Array(m).fill(multiplicativeSeason ? 1 : 0));
  let level = init.level;
  let slope = hasTrend ? init.slope : 0;
  let count = 0;
  let sumSquares = 0;
  let sumSquaresRelative = 0;
  let sumLogMean = 0;
  // Σ log μ as the log of a running product, taken every so often: one logarithm per many steps, not per step
  let product = 1;
  let valid = true;
  const fitted = output?.fitted;
  const errors = output?.errors;
  const n = y.length;
  let slot = 0;

  for (let t = 0; t < n; t++) {
    const trended = level + phi * slope;
    const s = seasonal ? season[slot]! : multiplicativeSeason ? 1 : 0;
    const mean = multiplicativeSeason ? trended * s : trended + s;
    const observed = y[t]!;
    let e = 0;
    if (observed === observed) {
      // not NaN
      e = observed - mean;
      count++;
      sumSquares += e * e;
      if (multiplicativeError) {
        if (!(mean > 0)) {
          valid = false;
          break;
        }
        const relative = e / mean;
        sumSquaresRelative += relative * relative;
        product *= mean;
        if (product > 1e150 || product < 1e-150) {
          sumLogMean += Math.log(product);
          product = 1;
        }
      }
    }
    if (fitted) fitted[t] = mean;
    if (errors) errors[t] = e;
    if (multiplicativeSeason) {
      if (!(s > 0) || !(trended > 0)) {
        valid = false;
        break;
      }
      // gains first, then times e: the divisions stay off the chain from one level to the next, which is what
      // bounds the speed of this loop (the results differ from α·e/s only in the last bit)
      const perSeason = 1 / s;
      level = trended + alpha * perSeason * e;
      if (hasTrend) slope = phi * slope + beta * perSeason * e;
      season[slot] = s + (gamma / trended) * e;
    } else {
      level = trended + alpha * e;
      if (hasTrend) slope = phi * slope + beta * e;
      if (seasonal) season[slot] = s + gamma * e;
    }
    if (++slot === m) slot = 0;
  }
  sumLogMean += Math.log(product);
  if (!Number.isFinite(level) || !Number.isFinite(slope) || !Number.isFinite(sumSquares)) valid = false;

  // rotate the seasonal terms so that season[0] is the next period's
  const next = new Float64Array(m);
  for (let j = 0; j < m; j++) next[j] = season[(slot + j) % m]!;
  return { valid, count, sumSquares, sumSquaresRelative, sumLogMean, final: { level, slope: hasTrend ? slope : 0, season: next } };
}

/**
 * Twice the negative log-likelihood of the fitted one-step errors, with the error variance concentrated out and the
 * constants dropped (Hyndman et al. 2008, section 5.1; as R's forecast::ets computes it, so the AIC values compare
 * across error types):
 *
 *     additive errors:        n log Σ e²
 *     multiplicative errors:  n log Σ (e/μ)² + 2 Σ log |μ|
 *
 * Returns +Infinity for an invalid pass.
 */
export function twiceNegativeLogLikelihood(spec: EtsSpec, result: FilterResult): number {
  if (!result.valid || result.count === 0) return Infinity;
  const n = result.count;
  if (spec.error === 'A') return n * Math.log(Math.max(result.sumSquares, 1e-300));
  return n * Math.log(Math.max(result.sumSquaresRelative, 1e-300)) + 2 * result.sumLogMean;
}

/**
 * Point forecasts h = 1..horizon steps past a state: (ℓ + φ_h b) ⊕ s, where φ_h = φ + φ² + … + φ^h
 * (h for an undamped trend, 0 without one) and s is the seasonal term of the same season one cycle back
 * (FPP3 section 8.6).
 *
 * @example
 * etsPointForecast({ error: 'A', trend: 'A', season: 'N', period: 1 }, { alpha: 0.5, beta: 0.1, gamma: 0, phi: 1 },
 *   { level: 10, slope: 2, season: new Float64Array(1) }, 3); // Float64Array [12, 14, 16]
 */
export function etsPointForecast(spec: EtsSpec, params: EtsParams, state: EtsState, horizon: number): Float64Array {
  const out = new Float64Array(horizon);
  const m = state.season.length;
  const damped = spec.trend === 'Ad';
  let phiSum = 0;
  let phiPower = 1;
  for (let h = 1; h <= horizon; h++) {
    if (spec.trend === 'A') phiSum = h;
    else if (damped) {
      phiPower *= params.phi;
      phiSum += phiPower;
    }
    const trended = state.level + phiSum * state.slope;
    const s = state.season[(h - 1) % m]!;
    out[h - 1] = spec.season === 'M' ? trended * s : spec.season === 'A' ? trended + s : trended;
  }
  return out;
}
