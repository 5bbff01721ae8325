import type { FermiPrior } from '../config/finops-config.js';

/** A log-normal distribution: log X ~ Normal(mu, sigma²). */
export interface LogNormal {
  mu: number;
  sigma: number;
}

/**
 * The standard normal's 95% quantile: a central 90% interval spans mu ± 1.645 sigma. (Written out: simple-statistics'
 * probit is an approximation good to about 3 decimals, which would move a range's ends by a few parts in ten
 * thousand.)
 */
const z95 = 1.6448536269514722;

/** Days of data after which the data alone decide (issue 3: "until one month of real data replaces it"). */
export const fermiDataDays = 28;

/**
 * The log-normal whose central 90% interval is [low, high]: mu = (ln low + ln high)/2,
 * sigma = (ln high − ln low)/(2 × 1.645).
 *
 * Intuition: a person asked for "somewhere between 2,000 and 8,000 users" gives a range that is wide in ratio, not
 * in difference; a log-normal takes the range as a 90% interval on that ratio scale, centred on the geometric mean
 * (4,000), which is how Fermi estimates are read (Tetlock & Gardner 2015 on ranges; the 90% convention as in
 * Hubbard 2014, "How to Measure Anything", chapter 5).
 *
 * @throws RangeError unless 0 < low <= high
 * @example
 * logNormalFromRange({ low: 2000, high: 8000 }); // { mu: ln 4000 ≈ 8.294, sigma: ln 4 / 3.29 ≈ 0.421 }
 */
export function logNormalFromRange(range: { readonly low: number; readonly high: number }): LogNormal {
  if (!(range.low > 0 && range.high >= range.low)) throw new RangeError(`a Fermi range needs 0 < low <= high, not ${range.low}..${range.high}`);
  return { mu: (Math.log(range.low) + Math.log(range.high)) / 2, sigma: (Math.log(range.high) - Math.log(range.low)) / (2 * z95) };
}

/**
 * The prior for a new feature's daily spend in USD: daily active users × calls per user × tokens per call ×
 * USD per million tokens / 1,000,000, each factor log-normal from its range, so the product is log-normal with
 * the sum of the mus and the sum of the variances (the logs add; independent factors' variances add).
 *
 * Intuition: each factor alone is uncertain by a factor of two or four; the product is uncertain by more, but less
 * than the product of the ranges' ratios would say, because factors rarely all land at their extremes together.
 *
 * @example
 * const prior = fermiDailySpend({ daily_active_users: { low: 2000, high: 8000 }, calls_per_user: { low: 2, high: 10 },
 *   tokens_per_call: { low: 1500, high: 4000 }, usd_per_mtok: { low: 0.3, high: 2.5 } });
 * Math.exp(prior.mu); // the median daily spend, ≈ 30 USD
 */
export function fermiDailySpend(prior: FermiPrior): LogNormal {
  const factors = [prior.daily_active_users, prior.calls_per_user, prior.tokens_per_call, prior.usd_per_mtok].map(logNormalFromRange);
  return {
    mu: factors.reduce((sum, f) => sum + f.mu, 0) - Math.log(1e6),
    sigma: Math.sqrt(factors.reduce((sum, f) => sum + f.sigma ** 2, 0)),
  };
}

/**
 * The weight on the data-driven forecast after `days` days of data: days/28, capped at 1. Weekly refits see it
 * step up by a quarter each week; from 28 days on, the data alone decide and the prior is gone.
 *
 * @example
 * dataWeight(14); // 0.5
 */
export function dataWeight(days: number): number {
  return Math.min(1, Math.max(0, days) / fermiDataDays);
}

/**
 * Sample paths of daily spend from the prior: each path draws one daily level from the log-normal and keeps it for
 * the whole horizon. The uncertainty of a Fermi estimate is about the level (how many users, what price), not
 * day-to-day noise, so a month's total under the prior is days × level, as wide as the prior itself, not the
 * √days-narrower total that independent days would give.
 *
 * @returns paths, path after path, `horizon` values each
 */
export function fermiPaths(prior: LogNormal, horizon: number, count: number, normal: () => number): Float64Array {
  const out = new Float64Array(count * horizon);
  for (let p = 0; p < count; p++) out.fill(Math.exp(prior.mu + prior.sigma * normal()), p * horizon, (p + 1) * horizon);
  return out;
}

/**
 * Blends the prior's paths with the data's as a mixture (a linear opinion pool; Stone 1961, Ann. Math. Stat.
 * 32(4); Gneiting & Ranjan 2013, EJS 7): the first round(w × count) paths come from the data's forecast, the rest
 * from the prior. A mixture keeps each source's spread honest, where averaging paths would shrink it; its mean is
 * w × data mean + (1 − w) × prior mean.
 *
 * @param weight the data's weight w in [0, 1] (see dataWeight)
 * @returns the mixed paths; data and prior paths must have the same count and horizon
 */
export function blendPaths(data: Float64Array, prior: Float64Array, horizon: number, weight: number): Float64Array {
  if (data.length !== prior.length) throw new RangeError('the data and prior paths must be as many and as long');
  const count = data.length / horizon;
  const fromData = Math.round(Math.min(1, Math.max(0, weight)) * count);
  const out = new Float64Array(data.length);
  out.set(data.subarray(0, fromData * horizon), 0);
  out.set(prior.subarray(fromData * horizon), fromData * horizon);
  return out;
}

/** The prior's mean daily spend: exp(mu + sigma²/2). */
export function logNormalMean(prior: LogNormal): number {
  return Math.exp(prior.mu + (prior.sigma * prior.sigma) / 2);
}
