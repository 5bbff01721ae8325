import { describe, expect, it } from 'vitest';
import { RATE_PATTERN, rateString } from '../../functions/pricing/price-period.js';

describe('rateString', () => {
  const cases: { name: string; input: number; expected: string }[] = [
    { name: 'prints 0.15 as the catalog wrote it, not as its binary value', input: 0.15, expected: '0.15' },
    { name: 'prints a whole rate without a point', input: 15, expected: '15' },
    { name: 'prints 2.5 as 2.5', input: 2.5, expected: '2.5' },
    { name: 'prints zero as 0', input: 0, expected: '0' },
    { name: 'writes a tiny rate out without an exponent', input: 1.25e-7, expected: '0.000000125' },
    { name: 'writes a huge rate out without an exponent', input: 1e21, expected: '1000000000000000000000' },
    { name: 'drops the float noise in the catalog', input: 0.18000000000000002, expected: '0.18' },
    { name: 'rounds a repeating fraction to 9 places', input: 1 / 12, expected: '0.083333333' },
    { name: 'rounds half up at the 9th place, carrying', input: 0.9999999996, expected: '1' },
    { name: 'keeps exactly 9 places', input: 0.123456789, expected: '0.123456789' },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      expect(rateString(input)).toBe(expected);
      expect(rateString(input)).toMatch(RATE_PATTERN);
    });
  }

  it('refuses a negative or non-finite price', () => {
    expect(() => rateString(-1)).toThrow(RangeError);
    expect(() => rateString(Number.NaN)).toThrow(RangeError);
    expect(() => rateString(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
