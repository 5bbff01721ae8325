/**
 * The Luhn checksum (ISO/IEC 7812-1) that every payment card number carries in its last digit: from the right,
 * double every second digit, subtract 9 from doubles above 9, and the sum is a multiple of 10. It catches every
 * single-digit typo, and a random number passes it one time in ten, which is why the card rule also checks the
 * issuer prefix. https://en.wikipedia.org/wiki/Luhn_algorithm
 *
 * @example luhnValid('4111111111111111') // true
 * @example luhnValid('4111111111111112') // false
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
