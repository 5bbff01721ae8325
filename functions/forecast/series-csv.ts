import { InputError } from '../errors.js';
import type { DatedPoint } from './dated-series.js';

/** The series of a `series_id,date,value` file, in the order they first appear, with per-value problems. */
export interface SeriesFile {
  series: Map<string, DatedPoint[]>;
  /** Values that are not numbers, by series: reported, and read as missing. */
  problems: Map<string, string[]>;
}

/**
 * Reads the forecast command's input (CONTRACT.md): a CSV with the columns `series_id,date,value` (any order,
 * other columns ignored), any number of series. Empty values and NA are missing values; other text that is not a
 * number is reported per series and read as missing.
 *
 * @throws InputError when the header lacks one of the three columns
 * @example
 * readSeriesCsv('series_id,date,value\na,2026-01-01,3\n').series.get('a'); // [{ date: '2026-01-01', value: 3 }]
 */
export function readSeriesCsv(text: string): SeriesFile {
  const rows = parseCsv(text);
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  const column = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new InputError(`the input has no ${name} column: its first line must name the columns series_id,date,value (it is "${header.join(',')}")`);
    }
    return i;
  };
  const [idColumn, dateColumn, valueColumn] = [column('series_id'), column('date'), column('value')];
  const series = new Map<string, DatedPoint[]>();
  const problems = new Map<string, string[]>();
  for (const row of rows) {
    if (row.length === 1 && row[0]!.trim() === '') continue;
    const id = (row[idColumn] ?? '').trim();
    const date = (row[dateColumn] ?? '').trim();
    const text = (row[valueColumn] ?? '').trim();
    let value: number | null = null;
    if (text !== '' && !/^(na|nan|null)$/i.test(text)) {
      value = Number(text);
      if (!Number.isFinite(value)) {
        problems.set(id, [...(problems.get(id) ?? []), `the value "${text}" on ${date} is not a number (read as missing)`]);
        value = null;
      }
    }
    const points = series.get(id) ?? [];
    points.push({ date, value });
    series.set(id, points);
  }
  return { series, problems };
}

/** RFC 4180 CSV: fields split at commas, quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * A forecast number for a CSV: 6 significant digits, in plain notation where it fits (1234.5678 -> 1234.57,
 * 0.000123456789 -> 0.000123457).
 *
 * @example
 * formatForecastNumber(1234.56789); // '1234.57'
 */
export function formatForecastNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  const rounded = Number(value.toPrecision(6));
  return String(Object.is(rounded, -0) ? 0 : rounded);
}
