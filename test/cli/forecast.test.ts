import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forecastFile, outputColumns } from '../../functions/cli/commands/forecast.js';
import { parseCsv } from '../../functions/forecast/series-csv.js';
import { stepDate } from '../../functions/forecast/frequency.js';
import { cli } from '../support/cli.js';
import { tempFolder } from '../support/tmp.js';

/** A CSV with a daily series (10 weeks), a monthly one (3 years), and a broken one. */
function inputCsv(): string {
  const lines = ['series_id,date,value'];
  for (let t = 0; t < 70; t++) lines.push(`daily_spend,${stepDate('2026-01-01', 'daily', t)},${(100 + 10 * (t % 7) + (t % 3)).toFixed(2)}`);
  for (let i = 0; i < 36; i++) lines.push(`"monthly, total",${stepDate('2023-01-01', 'monthly', i)},${1000 + 100 * Math.sin(i / 2) + 5 * i}`);
  lines.push('broken,2026-01-01,5', 'broken,2026-01-01,6');
  return lines.join('\n') + '\n';
}

describe('ai-finops forecast', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => (folder = tempFolder()));
  afterEach(() => folder.remove());

  it('forecasts a daily and a monthly series, each at its own frequency, into the contract columns', async () => {
    const input = folder.file('in.csv', inputCsv());
    const output = `${folder.dir}/out.csv`;
    const { stdout, stderr } = await cli('forecast', '--input', input, '--horizon', '6', '--output', output);
    const [header, ...rows] = parseCsv(readFileSync(output, 'utf8'));
    expect(header).toEqual(['series_id', 'date', 'mean', 'lo80', 'hi80', 'lo95', 'hi95']);
    const daily = rows.filter((r) => r[0] === 'daily_spend');
    const monthly = rows.filter((r) => r[0] === 'monthly, total');
    expect(daily.map((r) => r[1])).toEqual(['2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15', '2026-03-16', '2026-03-17']);
    expect(monthly.map((r) => r[1])).toEqual(['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01']);
    for (const r of [...daily, ...monthly]) {
      const [mean, lo80, hi80, lo95, hi95] = r.slice(2).map(Number) as [number, number, number, number, number];
      expect(lo95 <= lo80 && lo80 <= mean && mean <= hi80 && hi80 <= hi95).toBe(true);
    }
    // the broken series is named on stderr; the others went on
    expect(stderr).toMatch(/series "broken" was not forecast: the date 2026-01-01 appears more than once/);
    expect(rows.some((r) => r[0] === 'broken')).toBe(false);
    expect(stdout).toMatch(/daily\s+7/);
    expect(stdout).toMatch(/monthly\s+12/);
  });

  it('adds lo90 and hi90 after the contract columns when --levels asks for 90', () => {
    const result = forecastFile(inputCsv(), { horizon: 2, levels: [90] });
    expect(result.columns).toEqual(['series_id', 'date', 'mean', 'lo80', 'hi80', 'lo95', 'hi95', 'lo90', 'hi90']);
    expect(outputColumns([80, 95])).toHaveLength(7);
    expect(result.rows).toHaveLength(4);
  });

  it('writes the CSV to stdout without --output, and JSON with --json', async () => {
    const input = folder.file('in.csv', inputCsv());
    const csv = await cli('forecast', '--input', input, '--horizon', '1');
    expect(csv.stdout.split('\n')[0]).toBe('series_id,date,mean,lo80,hi80,lo95,hi95');
    const json = await cli('forecast', '--input', input, '--horizon', '1', '--json');
    const parsed = JSON.parse(json.stdout);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.series.map((s: { method: string }) => s.method)).toContain('none');
  });

  it('falls back to the naive method for a series too short for a model, and says so', () => {
    const result = forecastFile('series_id,date,value\nnew,2026-03-01,5\nnew,2026-03-02,7\nnew,2026-03-03,6\n', { horizon: 2 });
    expect(result.series[0]!.method).toBe('seasonal naive'.replace('seasonal ', ''));
    expect(result.problems[0]).toMatch(/series "new": 3 observations are too few/);
    expect(result.rows).toHaveLength(2);
  });

  it.each([
    { name: 'a horizon that is not a whole number', args: ['--horizon', '2.5'], message: /--horizon must be a whole number/ },
    { name: 'a level of 120', args: ['--horizon', '2', '--levels', '80,120'], message: /--levels must list percentages/ },
    { name: 'a missing input file', args: ['--horizon', '2', '--input', '/nonexistent.csv'], message: /cannot read --input/ },
  ])('rejects $name as bad usage, with exit code 2', async ({ args, message }) => {
    const input = folder.file('in.csv', inputCsv());
    const result = await cli('forecast', '--input', input, ...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
