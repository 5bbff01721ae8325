import type { PiiRule } from './rule.js';

/**
 * Phone numbers, in the two shapes people write them:
 * - international: `+` and a country code, then groups split by spaces, dashes, dots or a bracketed area code
 *   (`+44 20 7946 0958`, `+33 1 23 45 67 89`, `+1 (415) 555-0132`, `+81-3-1234-5678`) or none (E.164:
 *   `+14155550132`), 8 to 15 digits in all (E.164's limits);
 * - North American: `(415) 555-0132`, `415-555-0132`, `415.555.0132`, `415 555 0132`, optionally after `1-` or
 *   `1 `, with a valid area code and exchange (first digit 2-9).
 * Digits written together without a `+` are not taken for a phone: token counts, epoch timestamps, order numbers
 * and the dates inside model ids (`claude-3-5-sonnet-20241022`) look the same. ISO dates (`2026-11-17`) have
 * groups of 4-2-2, never a phone's 3-3-4.
 */
function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) n++;
  return n;
}

export const phoneRule: PiiRule = {
  kind: 'phone',
  pattern:
    /(?<![\w+.-])(?:\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){1,6}|(?:1[ .-])?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4})(?![\w-]|\.\d)/g,
  accept: (match) => {
    const n = digitCount(match);
    return n >= 8 && n <= 15;
  },
  hint: '\\+[0-9]|[0-9]{3}[ .)-]+[0-9]{3}[ .-][0-9]{4}',
};
