import { mulberry32 } from './prng.js';

/**
 * Standard normal draws, fast: a fixed pool of 2 ** 16 normal deviates, made once by the Box-Muller transform
 * (Box & Muller 1958, "A note on the generation of random normal deviates") from a fixed seed and standardized to
 * mean 0 and variance 1 exactly, from which each draw picks one at random with a seeded generator.
 *
 * Why a pool: simulating 1,000 sample paths over four months of days takes 120,000 normal draws per series, and the
 * logarithm, square root and cosine of Box-Muller dominate the cost of a forecast. Drawing uniformly from a large
 * normal sample is the bootstrap of that sample: the draws are independent, and their distribution differs from
 * the normal only beyond the pool's extremes (about 4.3 standard deviations), far outside any interval we report.
 *
 * Edge cases: the pool is shared and read-only; every sampler with the same seed yields the same sequence.
 *
 * @param random a uniform generator on [0, 1), such as mulberry32(seed)
 * @returns a function returning one standard normal draw per call
 * @example
 * const z = normalSampler(mulberry32(1));
 * z(); // a standard normal deviate, the same one on every run
 */
export function normalSampler(random: () => number): () => number {
  const pool = normalPool();
  const mask = pool.length - 1;
  return () => pool[(random() * 4294967296) & mask]!;
}

const poolBits = 16;
let pool: Float64Array | undefined;

/** The shared pool of 2 ** 16 standardized normal deviates, made on first use. */
export function normalPool(): Float64Array {
  if (pool) return pool;
  const size = 1 << poolBits;
  const values = new Float64Array(size);
  const random = mulberry32(0x5eed);
  for (let i = 0; i < size; i += 2) {
    const u1 = 1 - random(); // in (0, 1]: log(0) never happens
    const u2 = random();
    const radius = Math.sqrt(-2 * Math.log(u1));
    values[i] = radius * Math.cos(2 * Math.PI * u2);
    values[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / size;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / size);
  for (let i = 0; i < size; i++) values[i] = (values[i]! - mean) / sd;
  pool = values;
  return pool;
}
