import { quantileSorted } from 'simple-statistics';
import { medianOf, runningMedian } from './running-median.js';

/** A level shift found in the history: at index `at` the series moved by `size` (a ratio, or a difference). */
export interface LevelShift {
  at: number;
  /** The new level over the old: a ratio on the multiplicative scale, a difference on the additive one. */
  size: number;
  scale: 'ratio' | 'difference';
}

export interface Cleaned {
  /** The series to fit: outliers set to NaN (missing), history before each level shift carried to the new level. */
  values: Float64Array;
  outliers: number[];
  shifts: LevelShift[];
  /** What the search saw, so that simulated futures can have outliers and shifts as the history had (interventions.ts). */
  found: Found;
}

/** The outliers and shifts on the scale they were found on (log for positive data), and how many places were searched. */
export interface Found {
  scale: 'ratio' | 'difference';
  /**
   * Each outlier's size: log(value / expected) on the ratio scale, value − expected on the difference scale; those
   * within w/2 of a level shift, mostly the shift's own misplacement, are left out.
   */
  outlierSizes: number[];
  /** Observations where an outlier could have been found. */
  outlierPlaces: number;
  /** Places where a level shift could have been found (a window clear of both ends). */
  shiftPlaces: number;
}

/** Outliers lie outside [Q1 − k·IQR, Q3 + k·IQR] of the remainder (the rule of R's forecast::tsoutliers). */
const outlierFence = 3;
/** An outlier's remainder must also exceed this many noise standard deviations (from successive differences). */
const outlierSignificance = 5;
/** A level shift must exceed this many noise standard deviations, and this relative size, to be spliced. */
const shiftSignificance = 5;
const shiftMateriality = 0.2;

/**
 * Prepares a history for fitting by separating what the model should learn from what it should not: isolated
 * outliers (an incident, a retry storm, a backfill) and level shifts (a launch, a model switch, a feature turned
 * off).
 *
 * Intuition: a running median follows the level of a series through isolated spikes but jumps with a genuine level
 * shift. So (1) a robust decomposition: the running median is the level, the median by position in the week (or
 * year) is the season, and what is left is the remainder; (2) a level shift is a place where the median of the
 * next w values differs from the median of the previous w by far more than noise (and by more than the steady trend
 * moves it, so growth is not mistaken for shifts); the history before it is moved to the new level, multiplying
 * when the data are positive, so the model meets one continuous series and does not spend its smoothing
 * parameters on a one-off jump; (3) remainders outside Tukey-style fences of 3 interquartile ranges are outliers,
 * which become missing values that the state space filter steps over. This is the approach of Hyndman's
 * tsoutliers/tsclean (forecast package; FPP2 section 13.9) with running medians in place of STL, plus an explicit
 * level shift detector in the spirit of intervention analysis (Box & Tiao 1975, JASA 70(349)).
 *
 * At the end of the history a spike and the first days of a new level look the same. Among the last w/2 points
 * only an isolated extreme one is an outlier (an incident on the last day, which a trend model would otherwise
 * extrapolate); two or more on the same side are kept as the possible start of a new level, for the model to
 * adapt to.
 *
 * Edge cases: histories shorter than four windows (28 days for daily data) are returned as they are; a series
 * with zeros or negatives is handled on the additive scale.
 *
 * @param y the series, oldest first, NaN for missing
 * @param period the season length m (1 for none)
 * @example
 * const y = Float64Array.from({ length: 60 }, (_, t) => (t < 30 ? 100 : 300) + (t === 10 ? 900 : 0) + (t % 2));
 * const { outliers, shifts } = cleanSeries(y, 1); // outliers [10], shifts [{ at: 30, size: ≈3, scale: 'ratio' }]
 */
export function cleanSeries(y: Float64Array, period: number): Cleaned {
  const m = Math.max(1, period);
  const w = Math.max(m, 7);
  let observed = 0;
  let positive = true;
  for (const v of y) {
    if (v !== v) continue;
    observed++;
    if (!(v > 0)) positive = false;
  }
  const scale = positive ? 'ratio' : 'difference';
  if (observed < 4 * w) {
    const found: Found = { scale, outlierSizes: [], outlierPlaces: 0, shiftPlaces: 0 };
    return { values: Float64Array.from(y), outliers: [], shifts: [], found };
  }

  const z = Float64Array.from(y, (v) => (positive ? Math.log(v) : v));
  const shifts = findLevelShifts(z, m, w, positive);
  // splice: move the history before each shift to the level after it, latest shift first
  const spliced = Float64Array.from(z);
  for (const shift of [...shifts].reverse()) {
    const delta = positive ? Math.log(shift.size) : shift.size;
    for (let t = 0; t < shift.at; t++) spliced[t]! += delta;
  }

  const { adjusted, remainder } = decompose(spliced, m, w);
  const spare = Math.floor(w / 2);
  const outliers = fenceOutliers(remainder, adjusted, spare, w, outlierSignificance * differenceScale(adjusted));
  const values = Float64Array.from(spliced, (v) => (positive ? Math.exp(v) : v));
  for (const t of outliers) values[t] = NaN;
  let outlierPlaces = 0;
  for (const v of y) if (v === v) outlierPlaces++;
  // outliers right next to a shift are mostly the shift's own misplacement (a day or two of the new level spliced
  // as if old): set aside for the fit, but not incidents to expect again
  const nearShift = (t: number) => shifts.some((shift) => Math.abs(t - shift.at) <= spare);
  const found: Found = {
    scale,
    outlierSizes: outliers.filter((t) => !nearShift(t)).map((t) => remainder[t]!),
    outlierPlaces,
    shiftPlaces: Math.max(y.length - 2 * w + 1, 0),
  };
  return { values, outliers, shifts, found };
}

/** A robust decomposition: season by position (median), level by running median, remainder. */
function decompose(z: Float64Array, m: number, w: number): { adjusted: Float64Array; remainder: Float64Array } {
  const n = z.length;
  const season = new Float64Array(m);
  if (m > 1) {
    const rough = runningMedian(z, Math.floor(m / 2));
    const scratch = new Float64Array(Math.ceil(n / m) + 1);
    for (let j = 0; j < m; j++) {
      let k = 0;
      for (let t = j; t < n; t += m) {
        const d = z[t]! - rough[t]!;
        if (d === d) scratch[k++] = d;
      }
      season[j] = k > 0 ? medianOf(scratch, k) : 0;
    }
    let mean = 0;
    for (const s of season) mean += s / m;
    for (let j = 0; j < m; j++) season[j]! -= mean;
  }
  const adjusted = Float64Array.from(z, (v, t) => v - season[t % m]!);
  const level = runningMedian(adjusted, Math.floor(w / 2));
  const remainder = Float64Array.from(adjusted, (v, t) => v - level[t]!);
  return { adjusted, remainder };
}

/** Level shifts on the (log or raw) scale z: significant, material, locally largest changes in windowed medians. */
function findLevelShifts(z: Float64Array, m: number, w: number, positive: boolean): LevelShift[] {
  const n = z.length;
  const { adjusted, remainder } = decompose(z, m, w);
  const noise = robustScale(remainder);
  if (!(noise > 0)) return [];
  const before = new Float64Array(w);
  const after = new Float64Array(w);
  const change = new Float64Array(n).fill(NaN);
  for (let t = w; t <= n - w; t++) {
    let kb = 0;
    let ka = 0;
    for (let i = t - w; i < t; i++) if (adjusted[i] === adjusted[i]) before[kb++] = adjusted[i]!;
    for (let i = t; i < t + w; i++) if (adjusted[i] === adjusted[i]) after[ka++] = adjusted[i]!;
    if (kb >= w / 2 && ka >= w / 2) change[t] = medianOf(after, ka) - medianOf(before, kb);
  }
  // a steady trend moves every window by the same amount: measure shifts against that
  const finite = Array.from(change).filter((c) => c === c).sort((a, b) => a - b);
  if (finite.length === 0) return [];
  const drift = quantileSorted(finite, 0.5);
  let typicalLevel = 0;
  {
    const levels = Array.from(adjusted).filter((v) => v === v).map(Math.abs).sort((a, b) => a - b);
    typicalLevel = quantileSorted(levels, 0.5);
  }
  const shifts: LevelShift[] = [];
  for (let t = w; t <= n - w; t++) {
    const c = change[t]! - drift;
    if (!(Math.abs(c) > shiftSignificance * noise)) continue;
    const material = positive ? Math.abs(c) > Math.log(1 + shiftMateriality) : Math.abs(c) > shiftMateriality * typicalLevel;
    if (!material) continue;
    let largest = true;
    for (let i = Math.max(w, t - w); i <= Math.min(n - w, t + w); i++) {
      if (i !== t && Math.abs(change[i]! - drift) > Math.abs(c)) largest = false;
      if (i < t && Math.abs(change[i]! - drift) === Math.abs(c)) largest = false;
    }
    if (!largest) continue;
    // a step gives a plateau of changes (equal within the noise) around it: the shift is at its middle
    let last = t;
    while (last + 1 <= n - w && Math.abs(change[last + 1]! - drift) >= Math.abs(c) - noise) last++;
    const at = Math.ceil((t + last) / 2);
    shifts.push({ at, size: positive ? Math.exp(c) : c, scale: positive ? 'ratio' : 'difference' });
    t = last;
  }
  return shifts;
}

/**
 * Indexes whose remainder lies outside the fences [Q1 − 3 IQR, Q3 + 3 IQR] and is larger than `floor`. The floor
 * matters for smooth series, where a running median leaves remainders near zero and the fences collapse onto
 * ordinary wiggles.
 *
 * The last `spare` points are judged differently, as a spike and the first days of a new level look alike there:
 * one outside the fences counts only if it is isolated, that is if no other of the last points lies beyond the same
 * fence when measured from the level before them (the median of the `window` seasonally adjusted points before
 * the last ones). So an incident on the last day or two is set aside (a trend model would otherwise extrapolate
 * it), while two or more points on a new level are kept, as the possible start of a launch for the model to adapt
 * to.
 */
function fenceOutliers(remainder: Float64Array, adjusted: Float64Array, spare: number, window: number, floor: number): number[] {
  const sorted = Array.from(remainder).filter((v) => v === v).sort((a, b) => a - b);
  if (sorted.length < 8) return [];
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  if (!(iqr > 0)) return [];
  const low = q1 - outlierFence * iqr;
  const high = q3 + outlierFence * iqr;
  // +1 above the upper fence, −1 below the lower one, 0 inside (or missing, or within the floor)
  const side = (r: number) => (!(r === r) || !(Math.abs(r) > floor) ? 0 : r > high ? 1 : r < low ? -1 : 0);
  const n = remainder.length;
  const end = Math.max(n - spare, 0);
  const out: number[] = [];
  for (let t = 0; t < end; t++) if (side(remainder[t]!) !== 0) out.push(t);

  const before = new Float64Array(window);
  let k = 0;
  for (let t = Math.max(end - window, 0); t < end; t++) if (adjusted[t] === adjusted[t]) before[k++] = adjusted[t]!;
  if (k === 0) return out;
  const base = medianOf(before, k);
  const fromBase = Array.from({ length: n - end }, (_, i) => side(adjusted[end + i]! - base));
  for (let i = 0; i < n - end; i++) {
    const s = side(remainder[end + i]!);
    if (s !== 0 && fromBase.every((other, j) => j === i || other !== s)) out.push(end + i);
  }
  return out;
}

/** The noise level from successive differences (robust scale of the differences over √2), blind to level shifts. */
function differenceScale(x: Float64Array): number {
  const differences = new Float64Array(Math.max(x.length - 1, 0));
  for (let t = 1; t < x.length; t++) differences[t - 1] = x[t]! - x[t - 1]!;
  const scale = robustScale(differences) / Math.SQRT2;
  return Number.isFinite(scale) ? scale : 0;
}

/** 1.4826 × the median absolute deviation: the standard deviation, were the values normal, ignoring wild ones. */
function robustScale(x: Float64Array): number {
  const values = Array.from(x).filter((v) => v === v);
  if (values.length === 0) return NaN;
  const scratch = Float64Array.from(values);
  const centre = medianOf(scratch, scratch.length);
  const deviations = Float64Array.from(values, (v) => Math.abs(v - centre));
  return 1.4826 * medianOf(deviations, deviations.length);
}
