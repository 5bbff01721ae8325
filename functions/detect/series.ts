import { addDays, daysBetween } from '../time/days.js';

/**
 * Dense series from sparse rows: the SQL returns only the hours and days that had calls; the statistics need a
 * value for every day and hour of a window, zero where nothing happened.
 */

export const msPerHour = 3_600_000;
export const msPerDay = 86_400_000;

/** The days of [from, to), in order. */
export function daysOf(from: string, to: string): string[] {
  return Array.from({ length: Math.max(0, daysBetween(from, to)) }, (_, i) => addDays(from, i));
}

/** Epoch milliseconds of a day's midnight (UTC). */
export function dayMs(day: string): number {
  return Date.parse(day + 'T00:00:00Z');
}

/** A value per day of [from, to), summed from rows keyed by day. */
export function dailySeries<R>(rows: readonly R[], from: string, to: string, day: (r: R) => string, value: (r: R) => number): number[] {
  const out = new Array<number>(Math.max(0, daysBetween(from, to))).fill(0);
  for (const row of rows) {
    const i = daysBetween(from, day(row));
    if (i >= 0 && i < out.length) out[i]! += value(row);
  }
  return out;
}

/** A value per hour of [from, to) (epoch ms at hour starts), summed from rows keyed by hour. */
export function hourlySeries<R>(rows: readonly R[], fromMs: number, toMs: number, hour: (r: R) => number, value: (r: R) => number): number[] {
  const out = new Array<number>(Math.max(0, Math.round((toMs - fromMs) / msPerHour))).fill(0);
  for (const row of rows) {
    const i = Math.round((hour(row) - fromMs) / msPerHour);
    if (i >= 0 && i < out.length) out[i]! += value(row);
  }
  return out;
}

/** Groups rows by a key (null allowed), keeping first-seen order. */
export function groupBy<R, K>(rows: readonly R[], key: (r: R) => K): Map<K, R[]> {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** The sum of a value over rows. */
export function total<R>(rows: readonly R[], value: (r: R) => number): number {
  let sum = 0;
  for (const row of rows) sum += value(row);
  return sum;
}
