import { describe, expect, it } from 'vitest';
import { forecastDatedSeries, regularSeries } from '../../functions/forecast/dated-series.js';
import { ForecastInputError } from '../../functions/forecast/errors.js';
import { defaultSeason, inferFrequency, stepDate } from '../../functions/forecast/frequency.js';

describe('inferring the frequency from dates', () => {
  it.each([
    { dates: ['2026-01-01', '2026-01-02', '2026-01-03'], frequency: 'daily', season: 7 },
    { dates: ['2026-01-01', '2026-01-03', '2026-01-04'], frequency: 'daily', season: 7 },
    { dates: ['2026-01-05', '2026-01-12', '2026-01-26'], frequency: 'weekly', season: 1 },
    { dates: ['2026-01-01', '2026-02-01', '2026-03-01'], frequency: 'monthly', season: 12 },
    { dates: ['2025-12-01', '2026-01-01', '2026-03-01'], frequency: 'monthly', season: 12 },
    { dates: ['2026-01-01', '2026-04-01', '2026-07-01'], frequency: 'quarterly', season: 4 },
    { dates: ['2024-01-01', '2025-01-01', '2026-01-01'], frequency: 'yearly', season: 1 },
  ])('$dates.0, $dates.1, … is $frequency, with a season of $season', ({ dates, frequency, season }) => {
    expect(inferFrequency(dates)).toBe(frequency);
    expect(defaultSeason[inferFrequency(dates)]).toBe(season);
  });

  it.each([
    { name: 'a single date', dates: ['2026-01-01'], reason: 'too_short' },
    { name: 'steps of three days', dates: ['2026-01-01', '2026-01-04', '2026-01-07'], reason: 'irregular_dates' },
    { name: 'weeks with one odd day', dates: ['2026-01-05', '2026-01-12', '2026-01-20'], reason: 'irregular_dates' },
  ])('$name has no frequency ($reason)', ({ dates, reason }) => {
    expect(() => inferFrequency(dates)).toThrow(expect.objectContaining({ reason }));
  });

  it('steps calendar frequencies by the calendar', () => {
    expect(stepDate('2026-11-01', 'monthly', 3)).toBe('2027-02-01');
    expect(stepDate('2026-10-01', 'quarterly', 1)).toBe('2027-01-01');
    expect(stepDate('2026-12-30', 'daily', 3)).toBe('2027-01-02');
  });
});

describe('regular series from dated rows', () => {
  it('sorts rows given in any order and fills the dates no row gives with missing values', () => {
    const series = regularSeries([
      { date: '2026-01-04', value: 4 },
      { date: '2026-01-01', value: 1 },
      { date: '2026-01-02', value: 2 },
    ]);
    expect(series.dates).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']);
    expect(Array.from(series.values)).toEqual([1, 2, NaN, 4]);
  });

  it.each([
    { name: 'duplicate dates', rows: [{ date: '2026-01-01', value: 1 }, { date: '2026-01-01', value: 2 }], reason: 'duplicate_date' },
    { name: 'a date that is not one', rows: [{ date: '2026-02-30', value: 1 }], reason: 'bad_date' },
    { name: 'no rows', rows: [], reason: 'empty' },
  ])('rejects $name ($reason)', ({ rows, reason }) => {
    expect(() => regularSeries(rows)).toThrow(ForecastInputError);
    expect(() => regularSeries(rows)).toThrow(expect.objectContaining({ reason }));
  });

  it('forecasts a monthly series on the first of the following months, with season 12', () => {
    const rows = Array.from({ length: 36 }, (_, i) => ({ date: stepDate('2023-01-01', 'monthly', i), value: 100 + 20 * Math.sin((2 * Math.PI * i) / 12) + i }));
    const forecast = forecastDatedSeries(rows, { horizon: 3 });
    expect(forecast.frequency).toBe('monthly');
    expect(forecast.season).toBe(12);
    expect(forecast.dates).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });
});
