const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * A byte count for people, in binary (IEC) units, as BigQuery bills them (on-demand pricing is per TiB, 2^40 bytes):
 * three significant digits at most, whole bytes below 1 KiB.
 * @example formatBytes(10_000_000_000) // '9.31 GiB'
 */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
