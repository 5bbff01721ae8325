import { addDays, daysBetween, isDay } from '../time/days.js';
import { ForecastInputError } from './errors.js';

export type Frequency = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** The season length each frequency defaults to (CONTRACT.md): a week of days, a year of months or quarters. */
export const defaultSeason: Readonly<Record<Frequency, number>> = { daily: 7, weekly: 1, monthly: 12, quarterly: 4, yearly: 1 };

/** Months per step, for the calendar frequencies. */
const monthsPerStep: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, yearly: 12 };

/**
 * The frequency of a series from its dates: daily, weekly, monthly, quarterly or yearly.
 *
 * Intuition: calendar frequencies are recognized by the calendar, not by counting days, because months are 28 to
 * 31 days long: dates that all fall on the same day of the month (the contract dates monthly series on the 1st)
 * are monthly, quarterly or yearly by the smallest step in months between them. Otherwise the smallest step in days
 * decides: 1 is daily, 7 is weekly. Gaps are allowed (they become missing values) as long as every step is a whole
 * number of the smallest one.
 *
 * Edge cases: dates must be sorted and distinct (regularSeries checks); a single date has no frequency.
 *
 * @param dates sorted, distinct ISO dates
 * @throws ForecastInputError: `too_short` for fewer than 2 dates, `irregular_dates` when the steps fit no frequency
 * @example
 * inferFrequency(['2026-01-01', '2026-02-01', '2026-04-01']); // 'monthly' (March is missing)
 * inferFrequency(['2026-01-05', '2026-01-12', '2026-01-19']); // 'weekly'
 */
export function inferFrequency(dates: readonly string[]): Frequency {
  if (dates.length < 2) {
    throw new ForecastInputError('too_short', `one date (${dates[0] ?? 'none'}) has no frequency: a series needs at least 2 dates to be forecast (5 for a model)`);
  }
  const sameDayOfMonth = dates.every((d) => d.slice(8) === dates[0]!.slice(8));
  if (sameDayOfMonth) {
    const months = dates.map(monthIndex);
    const step = smallestStep(months);
    const frequency: Frequency | undefined = step === 1 ? 'monthly' : step === 3 ? 'quarterly' : step === 12 ? 'yearly' : undefined;
    if (frequency && months.every((m) => (m - months[0]!) % step === 0)) return frequency;
  }
  const days = dates.map((d) => daysBetween(dates[0]!, d));
  const step = smallestStep(days);
  if (step === 1) return 'daily';
  if (step === 7 && days.every((d) => d % 7 === 0)) return 'weekly';
  throw new ForecastInputError(
    'irregular_dates',
    `the dates ${describeStep(dates)} are neither daily, weekly, monthly (all on the same day of the month), quarterly nor yearly`,
  );
}

/**
 * The number of steps of a frequency from one date to another (whole steps; the dates lie on the series' grid).
 *
 * @example
 * stepsBetween('2026-01-01', '2026-07-01', 'quarterly'); // 2
 */
export function stepsBetween(from: string, to: string, frequency: Frequency): number {
  const months = monthsPerStep[frequency];
  if (months) return (monthIndex(to) - monthIndex(from)) / months;
  return daysBetween(from, to) / (frequency === 'weekly' ? 7 : 1);
}

/**
 * The date `steps` steps after `date` at a frequency: days and weeks by adding days, months, quarters and years by
 * the calendar (keeping the day of the month).
 *
 * @example
 * stepDate('2026-11-01', 'monthly', 3); // '2027-02-01'
 */
export function stepDate(date: string, frequency: Frequency, steps: number): string {
  const months = monthsPerStep[frequency];
  if (!months) return addDays(date, steps * (frequency === 'weekly' ? 7 : 1));
  const index = monthIndex(date) + steps * months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const next = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${date.slice(8)}`;
  if (!isDay(next)) {
    throw new ForecastInputError('bad_date', `${date} plus ${steps} ${frequency} steps falls on ${next}, which does not exist: date monthly series on the 1st`);
  }
  return next;
}

function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function smallestStep(positions: readonly number[]): number {
  let step = Infinity;
  for (let i = 1; i < positions.length; i++) step = Math.min(step, positions[i]! - positions[i - 1]!);
  return step;
}

function describeStep(dates: readonly string[]): string {
  return dates.length <= 3 ? dates.join(', ') : `${dates[0]}, ${dates[1]}, ${dates[2]}, …`;
}
