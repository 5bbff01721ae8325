import { mulberry32 } from '../functions/forecast/prng.js';
import { normalSampler } from '../functions/forecast/normal-draws.js';

/** A generated daily spend series with known structure, and what it is meant to test. */
export interface SyntheticSeries {
  name: string;
  scenario: string;
  values: number[];
}

/** Weekday multipliers, Monday first: a B2B product, quiet at weekends. */
const weekly = [1.1, 1.15, 1.15, 1.1, 1.0, 0.35, 0.3];

type Generator = (length: number, random: () => number, normal: () => number) => number[];

/**
 * The scenarios AI spend goes through (issue 3): each a generator of a daily series in USD. Structures are
 * multiplicative where spend is (a weekly pattern scales with the level) and noise is log-normal, so no scenario
 * is simply one of the models being tested.
 */
export const scenarios: Record<string, Generator> = {
  'flat level': (n, _r, z) => series(n, () => 200 * Math.exp(0.08 * z())),
  'weekly season': (n, _r, z) => series(n, (t) => 500 * weekly[t % 7]! * Math.exp(0.1 * z())),
  'growth + season': (n, r, z) => {
    const growth = 0.002 + 0.004 * r();
    return series(n, (t) => 100 * Math.exp(growth * t) * weekly[t % 7]! * Math.exp(0.1 * z()));
  },
  'random walk level': (n, _r, z) => {
    let level = Math.log(300);
    return series(n, (t) => {
      level += 0.03 * z();
      return Math.exp(level) * weekly[t % 7]! * Math.exp(0.06 * z());
    });
  },
  'launch (level shift)': (n, r, z) => {
    const at = Math.floor(n * (0.5 + 0.35 * r()));
    const lift = 2 + 2 * r();
    return series(n, (t) => 150 * (t >= at ? lift : 1) * weekly[t % 7]! * Math.exp(0.1 * z()));
  },
  'incident outliers': (n, r, z) =>
    series(n, (t) => 400 * weekly[t % 7]! * Math.exp(0.08 * z()) * (r() < 0.02 ? 4 + 6 * r() : 1)),
  'zero weekends': (n, _r, z) => series(n, (t) => (t % 7 >= 5 ? 0 : 250 * Math.exp(0.1 * z()))),
  'new feature (short)': (n, r, z) => {
    const growth = 0.01 * r();
    return series(n, (t) => 80 * Math.exp(growth * t) * weekly[t % 7]! * Math.exp(0.12 * z()));
  },
  'heavy noise': (n, _r, z) => series(n, (t) => 1000 * weekly[t % 7]! * Math.exp(0.3 * z())),
};

/** Lengths: a year and a bit of history, except for the new feature's few weeks (plus the evaluation month). */
export function scenarioLength(scenario: string, random: () => number): number {
  return scenario === 'new feature (short)' ? 21 + Math.floor(28 * random()) + 28 : 200 + Math.floor(200 * random());
}

/** `perScenario` series of every scenario, the same on every run. */
export function syntheticSeries(perScenario: number, seed = 20260101): SyntheticSeries[] {
  const out: SyntheticSeries[] = [];
  let k = 0;
  for (const [scenario, generate] of Object.entries(scenarios)) {
    for (let i = 0; i < perScenario; i++) {
      const random = mulberry32(seed + 7919 * k++);
      const normal = normalSampler(random);
      out.push({ name: `${scenario} #${i + 1}`, scenario, values: generate(scenarioLength(scenario, random), random, normal) });
    }
  }
  return out;
}

/** One series of a scenario, `length` days long, from a seed. */
export function scenarioSeries(scenario: string, length: number, seed: number): number[] {
  const random = mulberry32(seed);
  return scenarios[scenario]!(length, random, normalSampler(random));
}

/** A series of `length` days whose day t is at(t), rounded to the cent (spend is money). */
function series(length: number, at: (t: number) => number): number[] {
  return Array.from({ length }, (_, t) => Math.round(at(t) * 100) / 100);
}
