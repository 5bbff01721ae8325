/**
 * A seeded pseudo-random number generator: Mulberry32, a 32-bit generator by Tommy Ettinger
 * (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c).
 *
 * Forecast intervals come from simulated sample paths, and a forecast that changed every time it was run would be
 * useless in a ledger that scores itself: the same input and the same seed must give the same numbers, on any
 * machine. Math.random cannot be seeded, so we carry our own generator. Mulberry32 keeps one 32-bit word of state,
 * passes the usual statistical batteries for simulation work of this size (a few hundred thousand draws per
 * series) and costs a handful of integer operations per draw. It is not cryptographic, and needs not be.
 *
 * Edge cases: any number is a valid seed; it is reduced to 32 bits (`seed >>> 0`), so 1 and 2 ** 32 + 1 give the
 * same stream. Fractional seeds are truncated.
 *
 * @param seed any number; the same seed always gives the same stream
 * @returns a function returning uniform draws in [0, 1), each a multiple of 2 ** -32
 * @example
 * const random = mulberry32(42);
 * random(); // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
