import { describe, expect, it } from 'vitest';
import { blendPaths, dataWeight, fermiDailySpend, fermiPaths, logNormalFromRange } from '../../functions/forecast/fermi.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';
import { forecastDailySpend, spendTotal } from '../../functions/forecast/spend-forecast.js';

const prior = {
  daily_active_users: { low: 2000, high: 8000 },
  calls_per_user: { low: 2, high: 10 },
  tokens_per_call: { low: 1500, high: 4000 },
  usd_per_mtok: { low: 0.3, high: 2.5 },
};

describe('the Fermi prior', () => {
  it('reads each range as a log-normal 90% interval centred on the geometric mean', () => {
    const { mu, sigma } = logNormalFromRange({ low: 2000, high: 8000 });
    expect(Math.exp(mu)).toBeCloseTo(4000, 6);
    expect(Math.exp(mu + 1.6448536 * sigma)).toBeCloseTo(8000, 3);
  });

  it('multiplies the factors: mus add, variances add, and the price is per million tokens', () => {
    const daily = fermiDailySpend(prior);
    const median = 4000 * Math.sqrt(20) * Math.sqrt(1500 * 4000) * Math.sqrt(0.75) / 1e6;
    expect(Math.exp(daily.mu)).toBeCloseTo(median, 6);
    const sigmas = Object.values(prior).map((r) => logNormalFromRange(r).sigma);
    expect(daily.sigma).toBeCloseTo(Math.sqrt(sigmas.reduce((s, x) => s + x * x, 0)), 12);
  });

  it.each([
    { days: 0, weight: 0 },
    { days: 7, weight: 0.25 },
    { days: 14, weight: 0.5 },
    { days: 28, weight: 1 },
    { days: 90, weight: 1 },
  ])('weighs $days days of data at $weight', ({ days, weight }) => expect(dataWeight(days)).toBe(weight));

  it('keeps one level per path, so a month under the prior is as uncertain as the prior', () => {
    const paths = fermiPaths({ mu: 0, sigma: 1 }, 30, 10, normalSampler(mulberry32(1)));
    for (let p = 0; p < 10; p++) expect(new Set(paths.subarray(p * 30, (p + 1) * 30)).size).toBe(1);
  });

  it('blends as a mixture: the data weight is the share of paths from the data', () => {
    const blended = blendPaths(new Float64Array(8).fill(1), new Float64Array(8).fill(2), 2, 0.25);
    expect(Array.from(blended)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('forecasts a feature with no data from the prior alone, and with 28 days from the data alone', () => {
    const none = forecastDailySpend([], { horizon: 30, fermi: prior });
    expect(none.method).toBe('fermi');
    const total = spendTotal(none, 0, 30, 0, [90]);
    expect(total.intervals[90]!.hi / total.intervals[90]!.lo).toBeGreaterThan(10); // honest: wide
    const month = Array.from({ length: 28 }, (_, t) => 50 + (t % 7) * 2);
    expect(forecastDailySpend(month, { horizon: 30, fermi: prior }).dataWeight).toBe(1);
    const twoWeeks = forecastDailySpend(month.slice(0, 14), { horizon: 30, fermi: prior });
    expect(twoWeeks.dataWeight).toBe(0.5);
    expect(twoWeeks.method).toMatch(/^fermi\+/);
  });
});
