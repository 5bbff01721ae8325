/**
 * Dollar estimates. Spend sums arrive from SQL as exact decimals; what a finding estimates from them (an excess,
 * a monthly run rate, a saving) is arithmetic on rates and medians, done in floating point and written out as
 * decimal text rounded to the micro-dollar, padded to the contract's 9 places. Evidence numbers are rounded too,
 * so that a run over the same rows writes the same text (floating-point sums are not bit-for-bit repeatable).
 */

/** Days in the month an impact is stated for: 365 / 12. */
export const daysPerMonth = 365 / 12;

/** 171.2345678 -> '171.234568000'; negative or non-finite estimates are 0 (an impact is never negative). */
export function usd(amount: number): string {
  const value = Number.isFinite(amount) && amount > 0 ? Math.round(amount * 1e6) / 1e6 : 0;
  return value.toFixed(9);
}

/** A number rounded to `digits` significant digits, for evidence. */
export function rounded(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return Number.isFinite(value) ? 0 : value;
  return Number(value.toPrecision(digits));
}

/** A share rounded to 4 decimals (0.04871 -> 0.0487). */
export function share(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
