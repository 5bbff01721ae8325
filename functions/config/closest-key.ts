/**
 * The known key a mistyped key most likely meant, so a config error can say "did you mean retry_cap?" instead of
 * silently ignoring `retry_cpa` (and with it the retry cap the user thought they had set).
 *
 * Distance is the optimal string alignment distance (Damerau-Levenshtein restricted to non-overlapping edits):
 * insertions, deletions, substitutions and swaps of two adjacent letters each cost 1, because swapped letters are
 * the commonest typo and plain Levenshtein would count `cpa` -> `cap` as two edits.
 * https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance#Optimal_string_alignment_distance
 *
 * A suggestion is made only when the distance is at most a third of the longer word (and at least 1 edit is
 * allowed), so `colour` is not "corrected" to `owner`. Case is ignored: `Retry_Cap` meant `retry_cap`.
 *
 * @example closestKey('retry_cpa', ['retry_cap', 'owner']) // 'retry_cap'
 * @example closestKey('zebra', ['retry_cap', 'owner'])     // undefined
 */
export function closestKey(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(typed.toLowerCase(), candidate.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(typed.length, candidate.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance between two strings (see closestKey). */
export function editDistance(a: string, b: string): number {
  // d[i][j] = distance between the first i letters of a and the first j letters of b.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}
