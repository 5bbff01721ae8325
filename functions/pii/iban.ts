import type { PiiRule } from './rule.js';

/**
 * International bank account numbers (ISO 13616): a country code, two check digits and up to 30 letters and digits,
 * written together or in groups of four (`GB82 WEST 1234 5698 7654 32`), 15 to 34 characters in all, whose
 * mod-97 check holds (move the first four characters to the end, letters as 10-35: the number mod 97 is 1). A bank
 * account identifies a person as surely as an email; the check digits make false matches on ids rare (1 in 97).
 */
export function isIban(text: string): boolean {
  const compact = text.replace(/ /g, '');
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const c of rearranged) {
    const value = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

export const ibanRule: PiiRule = {
  kind: 'iban',
  pattern: /(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w-])/g,
  accept: isIban,
  hint: '[A-Z]{2}[0-9]{2} ?[A-Z0-9]{4} ?[A-Z0-9]{4}',
};
