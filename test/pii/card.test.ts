import { describe, expect, it } from 'vitest';
import { cardRule, isCardNumber } from '../../functions/pii/card.js';

describe('isCardNumber', () => {
  it.each([
    { text: '4111111111111111', card: true, why: 'Visa' },
    { text: '5555-5555-5555-4444', card: true, why: 'Mastercard 51-55, dashes' },
    { text: '2223003122003222', card: true, why: 'Mastercard 2-series' },
    { text: '3782 822463 10005', card: true, why: 'Amex in its 4-6-5 groups' },
    { text: '6011111111111117', card: true, why: 'Discover' },
    { text: '4222222222222', card: true, why: 'a 13-digit Visa' },
    { text: '4111111111111112', card: false, why: 'fails Luhn' },
    { text: '1730000000000', card: false, why: 'an epoch-millisecond timestamp: no issuer starts with 1' },
    { text: '9111111111111110', card: false, why: 'passes Luhn, but no scheme starts with 9' },
    { text: '411111111111', card: false, why: '12 digits: too short' },
  ])('says $text is a card number: $card ($why)', ({ text, card }) => {
    expect(isCardNumber(text)).toBe(card);
  });
});

describe('the card pattern', () => {
  const matches = (text: string) => [...text.matchAll(cardRule.pattern)].map((m) => m[0]);

  it('takes the groups cards print, with one kind of separator', () => {
    expect(matches('4111 1111 1111 1111 / 3782-822463-10005 / 6011111111111117')).toEqual([
      '4111 1111 1111 1111',
      '3782-822463-10005',
      '6011111111111117',
    ]);
  });

  it('does not take mixed separators, a part of a longer number, or digits inside an id', () => {
    expect(matches('4111 1111-1111 1111 41111111111111111111 id_4111111111111111 1.4111111111111111')).toEqual([]);
  });
});
