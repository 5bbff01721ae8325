import { describe, expect, it } from 'vitest';
import { forecastSeries, forecastSum } from '../../functions/forecast/forecast-series.js';
import { normalSampler } from '../../functions/forecast/normal-draws.js';
import { mulberry32 } from '../../functions/forecast/prng.js';

/** Weekday multipliers, Monday first: quiet weekends. */
const week = [1.1, 1.15, 1.15, 1.1, 1, 0.45, 0.4];

/**
 * Daily spend with known structure: a level of 200 with a weekly pattern and 10% log-normal noise, and an incident
 * (3 to 8 times the day's spend) on 3% of days, about one a month: the history the forecast sees is `days` long,
 * and the 28 days after it are the truth its month total is judged against.
 */
function spendWithIncidents(seed: number, days: number): { history: number[]; truth: number } {
  const random = mulberry32(seed);
  const z = normalSampler(random);
  const y = Array.from({ length: days + 28 }, (_, t) => 200 * week[t % 7]! * Math.exp(0.1 * z()) * (random() < 0.03 ? 3 + 5 * random() : 1));
  return { history: y.slice(0, days), truth: y.slice(days).reduce((a, b) => a + b, 0) };
}

describe('intervals of a 28-day total', () => {
  it('cover the actual total as often as they say: the 80% one in 74-86% and the 95% one in 90-99% of 200 seeded trials', () => {
    // Before the incidents were put back into the simulated futures and the paths drew their model and α from the
    // posterior, these were about 40% and 47%: per day the intervals were right, but a month's total, which an
    // incident moves by a sixth, was forecast as if incidents never happened again.
    const trials = 200;
    let in80 = 0;
    let in95 = 0;
    for (let i = 0; i < trials; i++) {
      const { history, truth } = spendWithIncidents(1000 + i, 150);
      const forecast = forecastSeries(history, { horizon: 28, season: 7, paths: 500, seed: 1, keepPaths: true, stepIntervals: false });
      const total = forecastSum(forecast, { from: 0, to: 28 });
      if (truth >= total.intervals[80]!.lo && truth <= total.intervals[80]!.hi) in80++;
      if (truth >= total.intervals[95]!.lo && truth <= total.intervals[95]!.hi) in95++;
    }
    expect(in80 / trials).toBeGreaterThanOrEqual(0.74);
    expect(in80 / trials).toBeLessThanOrEqual(0.86);
    expect(in95 / trials).toBeGreaterThanOrEqual(0.9);
    expect(in95 / trials).toBeLessThanOrEqual(0.99);
  });
});
