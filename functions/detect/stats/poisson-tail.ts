/**
 * P(X >= k) for X ~ Poisson(lambda): how surprising k events are when lambda were expected
 * (https://en.wikipedia.org/wiki/Poisson_distribution). Summed in log space from the far side, so tails as small
 * as 1e-300 come out right instead of as 1 - 1 = 0.
 *
 * @throws Error for a negative or non-finite lambda.
 * @example poissonUpperTail(0, 3) // 1
 * @example poissonUpperTail(15, 0.5) // ≈ 1.7e-16
 */
export function poissonUpperTail(k: number, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`a Poisson rate must be a finite number >= 0, not ${lambda}`);
  if (k <= 0) return 1;
  if (lambda === 0) return 0;
  const logPmf = (i: number) => -lambda + i * Math.log(lambda) - logFactorial(i);
  if (k > lambda) {
    // the upper tail directly: terms fall off geometrically once i > lambda
    let total = 0;
    for (let i = k; ; i++) {
      const term = Math.exp(logPmf(i));
      total += term;
      if (term < total * 1e-17 || i > k + 10_000) break;
    }
    return Math.min(1, total);
  }
  let lower = 0;
  for (let i = 0; i < k; i++) lower += Math.exp(logPmf(i));
  return Math.max(0, 1 - lower);
}

const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[n]!;
}
