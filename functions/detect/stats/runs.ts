/** A run of flagged positions, inclusive at both ends. */
export interface Run {
  start: number;
  end: number;
}

/**
 * The runs of true values in a row of flags, merging runs separated by at most `maxGap` false values: a retry
 * storm that calms for one hour is still one storm.
 *
 * @example runs([false, true, true, false, true, false, false, true], 1) // [{ start: 1, end: 4 }, { start: 7, end: 7 }]
 */
export function runs(flags: readonly boolean[], maxGap = 0): Run[] {
  const out: Run[] = [];
  flags.forEach((flag, i) => {
    if (!flag) return;
    const last = out.at(-1);
    if (last && i - last.end - 1 <= maxGap) last.end = i;
    else out.push({ start: i, end: i });
  });
  return out;
}
