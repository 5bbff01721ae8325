import { etsName, type EtsSpec, type SeasonType, type TrendType } from './ets.js';
import { fitEts, type EtsFit } from './fit.js';

export interface SelectOptions {
  /** The season length m (1: no seasonal models). */
  period: number;
  /** Cap on likelihood evaluations per model (see fitEts). */
  maxEvaluations?: number;
  /** Only these models (names like 'ETS(A,Ad,A)'); default: the whole family that suits the data. */
  only?: string[];
}

export interface Selection {
  best: EtsFit;
  /** Every model that could be fitted, best AICc first. */
  fits: EtsFit[];
}

/** Initial seasonal terms are estimated by maximum likelihood for series of up to this many seasons. */
const optimizeSeasonStatesUpTo = 20;

/**
 * The candidate models for a series, as R's forecast::ets chooses them by default (Hyndman et al. 2008,
 * chapter 7; FPP3 section 8.6): trend none, additive or additive damped; season none, additive or
 * multiplicative; errors additive, or multiplicative where the data are positive. Excluded, as ets excludes
 * them: multiplicative trends, and additive errors with a multiplicative season (which can give infinite
 * forecast variances). Seasonal models need a season length above 1 and two full seasons of data.
 *
 * Intuition: AI spend is a level that moves (ANN), sometimes growing at a rate that tapers (AAdN), usually with
 * a weekly rhythm (ANA, AAdA) whose swing grows with the level when the data are positive (MNM, MAdM).
 *
 * @example
 * candidateModels(7, 60, true).length; // 15
 * candidateModels(1, 60, false).map(etsName); // ['ETS(A,N,N)', 'ETS(A,A,N)', 'ETS(A,Ad,N)']
 */
export function candidateModels(period: number, observations: number, positive: boolean): EtsSpec[] {
  const trends: TrendType[] = ['N', 'A', 'Ad'];
  const seasons: SeasonType[] = period > 1 && observations >= 2 * period ? ['N', 'A', 'M'] : ['N'];
  const models: EtsSpec[] = [];
  for (const season of seasons) {
    for (const trend of trends) {
      const m = season === 'N' ? 1 : period;
      if (season !== 'M') models.push({ error: 'A', trend, season, period: m });
      if (positive) models.push({ error: 'M', trend, season, period: m });
    }
  }
  return models;
}

/**
 * Fits every candidate model and keeps the one with the smallest AICc: automatic model selection by information
 * criterion (Hyndman et al. 2002, IJF 18(3); FPP3 section 8.6).
 *
 * Intuition: the likelihood always prefers more states and parameters; AICc charges each estimated quantity
 * (2 per parameter, more when the series is short), so a trend or a season is kept only when it pays for itself
 * in one-step forecast accuracy. On short histories this keeps the model small, which is what forecasts well.
 *
 * Speed: models are fitted simplest first and each starts from the parameters of the nearest simpler model
 * (and a multiplicative-error model from its additive-error twin), so the optimizer starts near the answer.
 *
 * Edge cases: data must hold at least 3 observations (checked by the caller); a model that cannot be fitted
 * (too many parameters for the data, or undefined as fitted) is skipped.
 *
 * @throws Error if no model at all could be fitted (the caller then falls back to seasonal naive)
 * @example
 * selectEts(Float64Array.from({ length: 70 }, (_, t) => 100 + (t % 7 === 5 ? -40 : 0)), { period: 7 }).best.spec.season; // 'A'
 */
export function selectEts(y: Float64Array, options: SelectOptions): Selection {
  let observations = 0;
  let positive = true;
  for (const v of y) {
    if (Number.isNaN(v)) continue;
    observations++;
    if (!(v > 0)) positive = false;
  }
  const candidates = candidateModels(options.period, observations, positive).filter(
    (spec) => !options.only || options.only.includes(etsName(spec)),
  );
  const optimizeSeasonStates = observations <= optimizeSeasonStatesUpTo * options.period;
  const fitted = new Map<string, EtsFit>();
  const fits: EtsFit[] = [];
  for (const spec of candidates) {
    const warm = fitted.get(etsName(twin(spec))) ?? fitted.get(etsName(simpler(spec)));
    const fit = fitEts(y, spec, {
      start: warm?.params,
      optimizeSeasonStates,
      ...(options.maxEvaluations ? { maxEvaluations: options.maxEvaluations } : {}),
    });
    if (!fit) continue;
    fitted.set(etsName(spec), fit);
    fits.push(fit);
  }
  if (fits.length === 0) throw new Error('no exponential smoothing model could be fitted to the data');
  fits.sort((a, b) => a.aicc - b.aicc);
  return { best: fits[0]!, fits };
}

/** The same structure with additive errors: a warm start for a multiplicative-error model. */
function twin(spec: EtsSpec): EtsSpec {
  return spec.error === 'M' && spec.season !== 'M' ? { ...spec, error: 'A' } : spec.season === 'M' ? { ...spec, error: 'M', season: 'A' } : spec;
}

/** One step simpler: damped or additive trend -> no trend; seasonal -> the same without season. */
function simpler(spec: EtsSpec): EtsSpec {
  if (spec.season !== 'N') return { ...spec, season: 'N', period: 1 };
  return { ...spec, trend: 'N' };
}

/**
 * Posterior probabilities of the models, each fitted to the same data, from their BIC: w_i ∝ exp(−ΔBIC_i / 2),
 * BIC = −2 log L + k log n (Schwarz 1978, Ann. Stat. 6(2); the approximation to the Bayes factor discussed by Kass &
 * Raftery 1995, "Bayes factors", JASA 90(430), with equal prior odds).
 *
 * Intuition: selecting the best model and then forecasting as if it were the truth ignores that a model a little
 * behind was nearly as likely (a BIC two units worse: odds of 0.37 to 1); intervals that average over the models in
 * proportion to their probabilities carry that uncertainty too (Chatfield 1995, "Model uncertainty, data mining and
 * statistical inference", JRSS A 158(3); Hoeting et al. 1999, "Bayesian model averaging: a tutorial", Stat. Sci.
 * 14(4)). BIC rather than the AICc that selects the model, because these weights stand for probabilities, to be
 * combined with the likelihood weights of smoothingPosterior: on a long history BIC charges each extra parameter
 * more than AICc does (log n against 2), so a trend the data barely support gets little weight; on a few weeks of
 * data it charges less than AICc's small-sample correction, so a trend the data cannot rule out keeps some.
 *
 * @param fits models fitted to the same data (any order)
 * @returns one probability per fit, in the same order, summing to 1
 * @example
 * modelWeights([fitA, fitB]); // e.g. [0.73, 0.27] when fitB's BIC is 2 more than fitA's
 */
export function modelWeights(fits: readonly Pick<EtsFit, 'logLikelihood' | 'parameters' | 'observations'>[]): number[] {
  const bic = fits.map((f) => -2 * f.logLikelihood + f.parameters * Math.log(Math.max(f.observations, 1)));
  const best = Math.min(...bic);
  const raw = bic.map((b) => Math.exp(-(b - best) / 2));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}
