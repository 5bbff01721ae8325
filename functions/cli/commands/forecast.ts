import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { renderTable } from '../../format/table.js';
import { toCsv } from '../../format/csv.js';
import { forecastDatedSeries } from '../../forecast/dated-series.js';
import { ForecastInputError } from '../../forecast/errors.js';
import { formatForecastNumber, readSeriesCsv } from '../../forecast/series-csv.js';
import { print } from '../common.js';

interface ForecastCommandOptions {
  input?: string;
  horizon?: string;
  season?: string;
  levels?: string;
  output?: string;
  paths?: string;
  seed?: string;
  json?: boolean;
}

/** What the forecast of a file produced: rows for the CSV, one summary per series, and the lines for stderr. */
export interface FileForecast {
  columns: string[];
  rows: Record<string, string | number>[];
  series: { series_id: string; method: string; frequency: string | null; season: number | null; observations: number; horizon: number }[];
  /** One line per problem, each naming its series. */
  problems: string[];
}

export interface FileForecastOptions {
  horizon: number;
  /** Overrides the season defaulted from each series' frequency. */
  season?: number;
  /** Interval levels; 80 and 95 are always included (CONTRACT.md's columns). */
  levels?: number[];
  paths?: number;
  seed?: number;
}

/** The levels behind the columns: 80 and 95 always, then any other asked for. */
export function outputLevels(asked: readonly number[] = []): number[] {
  return [80, 95, ...[...new Set(asked)].filter((l) => l !== 80 && l !== 95).sort((a, b) => a - b)];
}

/**
 * The output columns (CONTRACT.md): series_id, date, mean, lo80, hi80, lo95, hi95, then lo/hi of any other level in
 * ascending order (`--levels 90` adds lo90, hi90), so the contract's seven columns always lead in the same places.
 */
export function outputColumns(levels: readonly number[]): string[] {
  return ['series_id', 'date', 'mean', ...levels.flatMap((l) => [`lo${l}`, `hi${l}`])];
}

/**
 * Forecasts every series of a `series_id,date,value` file: the function behind `ai-finops forecast`. Each series
 * gets its frequency inferred and its season defaulted from it; a series that cannot be forecast, or only by a
 * fallback method, gets a problem line naming it, and the others go on.
 */
export function forecastFile(text: string, options: FileForecastOptions): FileForecast {
  const levels = outputLevels(options.levels);
  const columns = outputColumns(levels);
  const { series, problems: valueProblems } = readSeriesCsv(text);
  const result: FileForecast = { columns, rows: [], series: [], problems: [] };
  for (const [id, points] of series) {
    const name = id === '' ? '(empty series_id)' : `"${id}"`;
    for (const p of valueProblems.get(id) ?? []) result.problems.push(`series ${name}: ${p}`);
    try {
      const forecast = forecastDatedSeries(points, {
        horizon: options.horizon,
        levels,
        ...(options.season !== undefined ? { season: options.season } : {}),
        ...(options.paths !== undefined ? { paths: options.paths } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      });
      if (forecast.note) result.problems.push(`series ${name}: ${forecast.note}`);
      forecast.dates.forEach((date, h) => {
        const row: Record<string, string | number> = { series_id: id, date, mean: formatForecastNumber(forecast.mean[h]!) };
        for (const l of levels) {
          row[`lo${l}`] = formatForecastNumber(forecast.intervals[l]!.lo[h]!);
          row[`hi${l}`] = formatForecastNumber(forecast.intervals[l]!.hi[h]!);
        }
        result.rows.push(row);
      });
      result.series.push({
        series_id: id,
        method: forecast.method,
        frequency: forecast.frequency,
        season: forecast.season,
        observations: forecast.observations,
        horizon: forecast.dates.length,
      });
    } catch (error) {
      if (!(error instanceof ForecastInputError)) throw error;
      result.problems.push(`series ${name} was not forecast: ${error.message}`);
      result.series.push({ series_id: id, method: 'none', frequency: null, season: null, observations: 0, horizon: 0 });
    }
  }
  return result;
}

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .description('forecast every series of a CSV file (series_id,date,value) with 80% and 95% intervals')
    .requiredOption('--input <file>', 'CSV with the columns series_id,date,value (daily, weekly, monthly, quarterly or yearly dates)')
    .requiredOption('--horizon <n>', 'periods to forecast past the last date of each series')
    .option('--season <n>', 'season length for every series (default by frequency: daily 7, weekly 1, monthly 12, quarterly 4, yearly 1)')
    .option('--levels <list>', 'interval levels in percent, e.g. 80,95 (80 and 95 are always written)', '80,95')
    .option('--output <file>', 'write the forecast CSV here (default: stdout)')
    .option('--paths <n>', 'sample paths per series (default 1000)')
    .option('--seed <n>', 'seed of the simulation (default 1): the same input and seed give the same output')
    .option('--json', 'print one JSON object: {"rows": [...], "series": [...], "problems": [...]}')
    .action(async (options: ForecastCommandOptions) => {
      const parsed = parseForecastOptions(options);
      let text: string;
      try {
        text = await readFile(options.input!, 'utf8');
      } catch (cause) {
        throw new UsageError(`cannot read --input ${options.input}: give the path of a CSV file with the columns series_id,date,value`, { cause });
      }
      const result = forecastFile(text, parsed);
      for (const line of result.problems) process.stderr.write(`ai-finops forecast: ${line}\n`);
      const csv = toCsv(result.rows, result.columns);
      if (options.output) await writeFile(options.output, csv);
      else if (!options.json) {
        process.stdout.write(csv);
        return;
      }
      print({ rows: result.rows, series: result.series, problems: result.problems }, options.json, () => renderSummary(result, options.output!));
    });
}

/** Parses and checks the flags: a UsageError (exit 2) names the flag and shows a working value. */
export function parseForecastOptions(options: ForecastCommandOptions): FileForecastOptions {
  const whole = (text: string | undefined, flag: string, min: number, example: string): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number, ${min} or more, e.g. ${flag} ${example} (got "${text}")`);
    return n;
  };
  const horizon = whole(options.horizon, '--horizon', 1, '30')!;
  const levels = (options.levels ?? '80,95').split(',').map((part) => {
    const level = Number(part.trim());
    if (!(level > 0 && level < 100)) throw new UsageError(`--levels must list percentages between 0 and 100, e.g. --levels 80,95 (got "${options.levels}")`);
    return level;
  });
  const parsed: FileForecastOptions = { horizon, levels };
  const season = whole(options.season, '--season', 1, '7');
  if (season !== undefined) parsed.season = season;
  const paths = whole(options.paths, '--paths', 2, '1000');
  if (paths !== undefined) parsed.paths = paths;
  const seed = whole(options.seed, '--seed', 0, '42');
  if (seed !== undefined) parsed.seed = seed;
  return parsed;
}

/** What a person reads when the CSV went to a file: one line per series. */
function renderSummary(result: FileForecast, output: string): string {
  return renderTable(
    [
      { header: 'series', value: (s) => s.series_id },
      { header: 'frequency', value: (s) => s.frequency ?? '–' },
      { header: 'season', align: 'right', value: (s) => (s.season === null ? '–' : String(s.season)) },
      { header: 'observations', align: 'right', value: (s) => String(s.observations) },
      { header: 'method', value: (s) => s.method },
      { header: 'periods', align: 'right', value: (s) => String(s.horizon) },
    ],
    result.series,
    {
      title: `Forecast of ${result.series.length} series written to ${output}`,
      note: result.problems.length ? `${result.problems.length} problem(s), listed above on stderr.` : undefined,
    },
  );
}
