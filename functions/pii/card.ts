import { luhnValid } from './luhn.js';
import type { PiiRule } from './rule.js';

/**
 * Payment card numbers: 13 to 19 digits, written together or in the groups cards print, split by single spaces or
 * dashes (one kind throughout): fours (`4111 1111 1111 1111`, up to 19 digits) or Amex and Diners 4-6-5 and 4-6-4
 * (`3782-822463-10005`). They must pass the Luhn check and start with an issuer prefix of a scheme in use (Visa 4;
 * Mastercard 51-55 and 2221-2720; Amex 34, 37; Diners 300-305, 36, 38; JCB 3528-3589; Maestro 50, 56-58; Discover,
 * UnionPay and Maestro 6). The prefix check turns away the tenth of random long numbers that pass Luhn by chance,
 * and epoch-millisecond timestamps (which start with 1).
 */
const issuer = /^(?:4|5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720|3[47]|30[0-5]|3[68]|35(?:2[89]|[3-8]\d)|5[06-8]|6)/;

export function isCardNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  return digits.length >= 13 && digits.length <= 19 && issuer.test(digits) && luhnValid(digits);
}

export const cardRule: PiiRule = {
  kind: 'card',
  pattern: /(?<![\w.-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w-]|\.\d)/g,
  accept: isCardNumber,
  hint: '[0-9]{4}[ -]?[0-9]{4,6}[ -]?[0-9]{4,5}',
};
