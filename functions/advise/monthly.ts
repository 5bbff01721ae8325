import { addMonths, monthRange } from '../time/days.js';

/**
 * Calendar months for the advisors that judge consumption month by month (commit pricing): which months a series
 * covers in full, and the months ahead of a day.
 */

/**
 * The months wholly inside [firstDay, asOf): those that began on or after the first day of consumption and ended
 * before the as-of day, oldest first. A ledger starting on 15 August, as of 1 December, has September, October and
 * November in full.
 */
export function fullMonths(firstDay: string, asOf: string): string[] {
  const months: string[] = [];
  for (let month = firstDay.slice(0, 7); monthRange(month).to <= asOf; month = addMonths(month, 1)) {
    if (monthRange(month).from >= firstDay) months.push(month);
  }
  return months;
}

/** The `count` months from the first that starts on or after `day`: the months a commitment made on `day` would cover. */
export function monthsFrom(day: string, count: number): string[] {
  const first = day.endsWith('-01') ? day.slice(0, 7) : addMonths(day.slice(0, 7), 1);
  return Array.from({ length: count }, (_, k) => addMonths(first, k));
}
