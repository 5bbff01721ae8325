import { describe, expect, it } from 'vitest';
import { isIban } from '../../functions/pii/iban.js';

describe('isIban', () => {
  it.each([
    { text: 'GB82WEST12345698765432', iban: true, why: 'the UK registry example' },
    { text: 'GB82 WEST 1234 5698 7654 32', iban: true, why: 'written in groups of four' },
    { text: 'DE89370400440532013000', iban: true, why: 'the German registry example' },
    { text: 'FR1420041010050500013M02606', iban: true, why: 'the French example, with a letter in the account' },
    { text: 'GB82WEST12345698765433', iban: false, why: 'one digit off: mod 97 is not 1' },
    { text: 'GB28WEST12345698765432', iban: false, why: 'check digits swapped' },
    { text: 'DE8937040044', iban: false, why: 'too short for any country' },
  ])('says $text is an IBAN: $iban ($why)', ({ text, iban }) => {
    expect(isIban(text)).toBe(iban);
  });
});
