/**
 * Exact money. Amounts travel as decimal strings with up to 9 places (CONTRACT.md: `"12.345000000"`), the
 * precision of BigQuery NUMERIC and DuckDB DECIMAL(38, 9). Arithmetic in TypeScript is done in integer
 * nano-dollars (bigint), never in floating point.
 */

const nanosPerUsd = 1_000_000_000n;
const amountPattern = /^(-)?(\d+)(?:\.(\d{1,9}))?$/;

/** '12.3' -> 12_300_000_000n. Throws on anything that is not a plain decimal with at most 9 places. */
export function toNanos(amount: string): bigint {
  const match = amountPattern.exec(amount.trim());
  if (!match) throw new RangeError(`"${amount}" is not a decimal amount with at most 9 places`);
  const [, sign, whole, fraction = ''] = match;
  const nanos = BigInt(whole!) * nanosPerUsd + BigInt(fraction.padEnd(9, '0'));
  return sign ? -nanos : nanos;
}

/** 12_300_000_000n -> '12.300000000' (always 9 places, like the engines). */
export function fromNanos(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  return `${sign}${abs / nanosPerUsd}.${String(abs % nanosPerUsd).padStart(9, '0')}`;
}

export function sumUsd(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += toNanos(amount);
  return fromNanos(total);
}

/**
 * For people: '$1,234.57', and small amounts with the digits that matter ('$0.0042'), since a cost per call
 * rounded to the cent is often $0.00.
 */
export function formatUsd(amount: string | null): string {
  if (amount === null) return '–';
  const value = Number(amount);
  const abs = Math.abs(value);
  const digits = abs === 0 || abs >= 1 ? 2 : abs >= 0.01 ? 3 : 4;
  return (value < 0 ? '-$' : '$') + abs.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
