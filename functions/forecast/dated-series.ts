import { isDay } from '../time/days.js';
import { ForecastInputError } from './errors.js';
import { forecastSeries, type ForecastOptions, type SeriesForecast } from './forecast-series.js';
import { defaultSeason, inferFrequency, stepDate, stepsBetween, type Frequency } from './frequency.js';

/** One observation of a dated series. NaN (or null) is a missing value. */
export interface DatedPoint {
  date: string;
  value: number | null;
}

/** A series on a regular grid: one value per step from the first date to the last, NaN where none was given. */
export interface RegularSeries {
  frequency: Frequency;
  dates: string[];
  values: Float64Array;
}

/**
 * Puts dated observations on their regular grid: sorts them, infers the frequency, and fills the steps no row
 * gives with NaN, which the models treat as missing (not as zero: a spend export with a day missing should say 0
 * for that day if it means 0).
 *
 * Documented fallback: rows in any order are sorted by date.
 *
 * @throws ForecastInputError: `empty` (no rows), `bad_date` (not an ISO date), `duplicate_date` (two values for
 *   one date: which one is meant cannot be guessed), `too_short` or `irregular_dates` (from inferFrequency)
 * @example
 * regularSeries([{ date: '2026-01-03', value: 3 }, { date: '2026-01-01', value: 1 }]).values; // Float64Array [1, NaN, 3]
 */
export function regularSeries(points: readonly DatedPoint[]): RegularSeries {
  if (points.length === 0) throw new ForecastInputError('empty', 'the series has no rows');
  for (const p of points) {
    if (!isDay(p.date)) throw new ForecastInputError('bad_date', `"${p.date}" is not a date: write dates as YYYY-MM-DD, e.g. 2026-11-01`);
  }
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.date === sorted[i - 1]!.date) {
      throw new ForecastInputError('duplicate_date', `the date ${sorted[i]!.date} appears more than once: give one value per date (sum them first if they are parts of one total)`);
    }
  }
  const given = sorted.map((p) => p.date);
  const frequency = inferFrequency(given);
  const first = given[0]!;
  const steps = stepsBetween(first, given.at(-1)!, frequency);
  const values = new Float64Array(steps + 1).fill(NaN);
  for (const p of sorted) values[stepsBetween(first, p.date, frequency)] = p.value ?? NaN;
  const dates = Array.from({ length: steps + 1 }, (_, i) => stepDate(first, frequency, i));
  return { frequency, dates, values };
}

export interface DatedForecast extends SeriesForecast {
  frequency: Frequency;
  season: number;
  /** The future dates, one per step of the forecast. */
  dates: string[];
}

/**
 * Forecasts a dated series: regularSeries, then forecastSeries with the season defaulted from the frequency
 * (daily 7, weekly 1, monthly 12, quarterly 4, yearly 1; CONTRACT.md) unless `season` is given.
 *
 * @throws ForecastInputError as regularSeries and forecastSeries do
 * @example
 * forecastDatedSeries(rows, { horizon: 12 }).dates[0]; // the step after the last date
 */
export function forecastDatedSeries(points: readonly DatedPoint[], options: ForecastOptions): DatedForecast {
  const series = regularSeries(points);
  const season = options.season ?? defaultSeason[series.frequency];
  const last = series.dates.at(-1)!;
  const dates = Array.from({ length: Math.max(options.horizon, 0) }, (_, h) => stepDate(last, series.frequency, h + 1));
  const forecast = forecastSeries(series.values, { ...options, season });
  return { ...forecast, frequency: series.frequency, season, dates };
}
