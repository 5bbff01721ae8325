import type { Cleaned } from './robust.js';

/** Outliers and level shifts as a random process of the future, learnt from what robust.ts set aside in the history. */
export interface Interventions {
  /** 'ratio': sizes are logs of ratios (positive data); 'difference': sizes are differences. */
  scale: 'ratio' | 'difference';
  /** The sizes the history's outliers had, and the places where one could have been found. */
  outlierSizes: Float64Array;
  outlierPlaces: number;
  /** The sizes the history's level shifts had, and the places where one could have been found. */
  shiftSizes: Float64Array;
  shiftPlaces: number;
}

/**
 * What the outliers and level shifts set aside from a history imply for its future: how many of each there were,
 * where they could have been found, and how large each was.
 *
 * Intuition: robust.ts takes incidents and launches out of the history so that the model learns the ordinary
 * dynamics. But a history with an incident a month will have incidents next month too, and a month's total feels
 * them (one day at five times the usual spend is a seventh more on a month), so a forecast of the cleaned series
 * alone is too low and too sure of itself. Likewise a series that shifted level in the past may shift again.
 * replayInterventions puts them back into the simulated futures at the rate the history had them.
 *
 * Edge cases: none found, or a history too short to be searched (robust.ts), give a model that changes nothing.
 *
 * @param cleaned what cleanSeries returned for the history
 * @example
 * interventionModel(cleanSeries(y, 7)).outlierSizes.length; // the incidents found, e.g. 6 in 300 days
 */
export function interventionModel(cleaned: Cleaned): Interventions {
  const { found, shifts } = cleaned;
  return {
    scale: found.scale,
    outlierSizes: Float64Array.from(found.outlierSizes),
    outlierPlaces: found.outlierPlaces,
    shiftSizes: Float64Array.from(shifts, (s) => (s.scale === 'ratio' ? Math.log(s.size) : s.size)),
    shiftPlaces: found.shiftPlaces,
  };
}

/**
 * Lays the outliers and level shifts of an Interventions model over simulated paths of the cleaned series, in
 * place, so that they become futures of the series as observed: path × exp(shifts so far + outlier) on the ratio
 * scale, path + the same on the difference scale.
 *
 * Intuition: the observed series is the cleaned one with interventions laid over it, the two intervention types of
 * Fox (1972, "Outliers in time series", JRSS B 34(3)) and Chen & Liu (1993, JASA 88(421)): an additive outlier
 * moves one step, a level shift every step from its start on. So along each path, at each step, an outlier happens
 * with some probability r and a shift with another, each of a size drawn from those the history had (a bootstrap
 * of the sizes; Efron & Tibshirani 1993, chapter 6). The model's states along the path stay those of the cleaned
 * series, as in the fit, so an incident does not drag the level after it.
 *
 * The rates: k events in n places estimate r by k/n, but k is small (a shift or two a year, a handful of
 * incidents), and a month's total depends on how many events it gets, so the rate's own uncertainty matters: each
 * path draws its rates from their posterior, r ~ Gamma(k, n) (the Poisson rate under the scale-invariant prior
 * 1/r: mean k/n, the estimate, and standard deviation √k/n; Gelman et al. 2013, "Bayesian Data Analysis", 3rd ed.,
 * section 2.6). Event times are then geometric waiting times (Devroye 1986, "Non-Uniform Random Variate
 * Generation", chapter X): one uniform draw per event, not one per step.
 *
 * Edge cases: a model without outliers or shifts leaves the paths as they are; a lower bound censors again.
 *
 * @param paths path after path, `horizon` values each, as simulateEts returns them
 * @param random a seeded uniform generator on [0, 1)
 * @param normal a seeded standard normal generator
 * @param lowerBound the smallest possible value, or null for none
 * @example
 * replayInterventions(paths, 1000, 28, interventionModel(cleaned), random, normalSampler(random), 0);
 */
export function replayInterventions(
  paths: Float64Array,
  count: number,
  horizon: number,
  model: Interventions,
  random: () => number,
  normal: () => number,
  lowerBound: number | null,
): void {
  const outliers = model.outlierSizes.length > 0 && model.outlierPlaces > 0;
  const shifts = model.shiftSizes.length > 0 && model.shiftPlaces > 0;
  if (!outliers && !shifts) return;
  const ratio = model.scale === 'ratio';
  // steps until the next event (0: this one), for a rate r: floor(log U / log(1 − r)), U uniform on (0, 1]
  const wait = (rate: number) => (rate >= 1 ? 0 : Math.floor(Math.log(1 - random()) / Math.log(1 - rate)));
  const pick = (sizes: Float64Array) => sizes[Math.min(Math.floor(random() * sizes.length), sizes.length - 1)]!;
  const offset = new Float64Array(horizon);
  for (let p = 0; p < count; p++) {
    // this path's rates: k events in n places give the rate a Gamma(k, n) posterior (mean k / n)
    const shiftRate = shifts ? Math.min(gammaDraw(model.shiftSizes.length, random, normal) / model.shiftPlaces, 0.5) : 0;
    const outlierRate = outliers ? Math.min(gammaDraw(model.outlierSizes.length, random, normal) / model.outlierPlaces, 0.5) : 0;
    const firstShift = shifts ? wait(shiftRate) : horizon;
    const firstOutlier = outliers ? wait(outlierRate) : horizon;
    if (firstShift >= horizon && firstOutlier >= horizon) continue;
    offset.fill(0);
    for (let h = firstShift; h < horizon; h += 1 + wait(shiftRate)) {
      const size = pick(model.shiftSizes);
      for (let k = h; k < horizon; k++) offset[k]! += size;
    }
    for (let h = firstOutlier; h < horizon; h += 1 + wait(outlierRate)) offset[h]! += pick(model.outlierSizes);
    const start = p * horizon;
    for (let h = Math.min(firstShift, firstOutlier); h < horizon; h++) {
      const d = offset[h]!;
      if (d === 0) continue;
      let value = ratio ? paths[start + h]! * Math.exp(d) : paths[start + h]! + d;
      if (lowerBound !== null && value < lowerBound) value = lowerBound;
      paths[start + h] = value;
    }
  }
}

/**
 * A draw from the Gamma(k, 1) distribution for a whole k ≥ 1: the sum of k standard exponentials up to 10, and the
 * Wilson–Hilferty cube of a normal beyond (Wilson & Hilferty 1931, PNAS 17(12)), good to a few parts in a thousand
 * there.
 */
function gammaDraw(k: number, random: () => number, normal: () => number): number {
  if (k <= 10) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum -= Math.log(1 - random());
    return sum;
  }
  const c = 1 / (9 * k);
  const cube = 1 - c + normal() * Math.sqrt(c);
  return cube > 0 ? k * cube * cube * cube : 0;
}
