/**
 * The running median: at each point, the median of the observed values within `half` places either side
 * (fewer at the ends), NaN where the window holds no observation. Tukey's smoother (Tukey 1977, "Exploratory Data
 * Analysis", chapter 7).
 *
 * Intuition: a running mean is dragged by one wild value; a running median ignores it as long as fewer than half
 * of the window are wild. So the running median follows the level of a series through incidents, and still jumps
 * with it at a genuine level shift, which is what separates the two.
 *
 * Edge cases: NaN values are skipped; `half` = 0 returns a copy.
 *
 * @example
 * runningMedian(Float64Array.of(1, 2, 100, 3, 4), 1); // Float64Array [1.5, 2, 3, 4, 3.5]
 */
export function runningMedian(x: Float64Array, half: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const window = new Float64Array(2 * half + 1);
  for (let t = 0; t < n; t++) {
    let k = 0;
    for (let i = Math.max(0, t - half); i <= Math.min(n - 1, t + half); i++) {
      const v = x[i]!;
      if (v === v) window[k++] = v;
    }
    out[t] = medianOf(window, k);
  }
  return out;
}

/** The median of the first k values of a scratch array (which it reorders); NaN for k = 0. */
export function medianOf(values: Float64Array, k: number): number {
  if (k === 0) return NaN;
  const part = values.subarray(0, k).sort();
  const middle = k >> 1;
  return k % 2 === 1 ? part[middle]! : (part[middle - 1]! + part[middle]!) / 2;
}
