import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../functions/pii/luhn.js';

describe('luhnValid', () => {
  it.each([
    { digits: '4111111111111111', valid: true, why: 'the Visa test number' },
    { digits: '378282246310005', valid: true, why: 'the Amex test number (odd length)' },
    { digits: '79927398713', valid: true, why: "Wikipedia's worked example" },
    { digits: '0', valid: true, why: 'a single zero sums to 0' },
    { digits: '4111111111111112', valid: false, why: 'the last digit off by one' },
    { digits: '4111111111111121', valid: false, why: 'two digits swapped' },
    { digits: '79927398710', valid: false, why: "the worked example's wrong check digits" },
    { digits: '4111 1111 1111 1111', valid: false, why: 'separators must be stripped first' },
    { digits: '', valid: false, why: 'no digits at all' },
  ])('says $digits is valid: $valid ($why)', ({ digits, valid }) => {
    expect(luhnValid(digits)).toBe(valid);
  });

  it('accepts exactly one check digit in ten for a given body', () => {
    const passing = [...'0123456789'].filter((d) => luhnValid(`411111111111111${d}`));
    expect(passing).toEqual(['1']);
  });
});
