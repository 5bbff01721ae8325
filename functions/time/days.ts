import { UsageError } from '../errors.js';

/**
 * Days are UTC calendar dates written `YYYY-MM-DD`; ranges of days are half-open, [from, to). Plain strings keep
 * them exact and engine-neutral; these helpers do the little date arithmetic the jobs need.
 */

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const msPerDay = 86_400_000;

export function isDay(text: string): boolean {
  if (!dayPattern.test(text)) return false;
  const date = new Date(text + 'T00:00:00Z');
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Parses a user-given day, e.g. from `--as-of`, naming the flag when it is wrong. */
export function parseDay(text: string, what: string): string {
  if (!isDay(text)) throw new UsageError(`${what} "${text}" is not a date: write it as YYYY-MM-DD, e.g. 2026-11-01`);
  return text;
}

/** The UTC day of an instant. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayOf(new Date(Date.parse(day + 'T00:00:00Z') + n * msPerDay));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / msPerDay);
}

export interface DayRange {
  from: string;
  to: string;
}

/** Groups days into the fewest contiguous half-open ranges, in order: [d1, d2, d3, d7] -> [d1, d4), [d7, d8). */
export function contiguousRanges(days: Iterable<string>): DayRange[] {
  const sorted = [...new Set(days)].sort();
  const ranges: DayRange[] = [];
  for (const day of sorted) {
    const last = ranges.at(-1);
    if (last && last.to === day) last.to = addDays(day, 1);
    else ranges.push({ from: day, to: addDays(day, 1) });
  }
  return ranges;
}

/** The days of a month `YYYY-MM` as a range: [first of the month, first of the next). */
export function monthRange(month: string): DayRange {
  if (!/^\d{4}-\d{2}$/.test(month) || !isDay(month + '-01')) {
    throw new UsageError(`month "${month}" is not a month: write it as YYYY-MM, e.g. 2026-11`);
  }
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: month + '-01', to: next + '-01' };
}

/** 'YYYY-MM' plus k months (k may be negative). */
export function addMonths(month: string, k: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + k;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
