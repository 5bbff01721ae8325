import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../support/cli.js';
import { ndjson, tempFolder } from '../support/tmp.js';

const folder = tempFolder();
afterAll(() => folder.remove());

describe('the ai-finops command', () => {
  let db: string;
  let n = 0;
  beforeEach(() => {
    db = `${folder.dir}/ledger-${n++}.duckdb`;
    vi.stubEnv('FINOPS_CONFIG', '');
    vi.stubEnv('FINOPS_ENGINE', '');
  });
  afterEach(() => vi.unstubAllEnvs());

  const calls = ndjson([
    { ts: '2026-03-02T10:00:00Z', call_id: 'c1', feature: 'chat', segment: 'pro', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5, cost_usd: '0.25' },
    { ts: '2026-03-02T11:00:00Z', call_id: 'c2', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5, cost_usd: '0.75' },
    { ts: '2026-03-02T12:00:00Z', call_id: 'c3', model: 'gpt-4o-mini', input_tokens: -1, output_tokens: 5 },
  ]);

  it('loads a file with a bad row, reports the row and exits 0', async () => {
    const result = await cli('load', '--db', db, '--calls', folder.file('calls.ndjson', calls));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 calls loaded, 0 duplicates skipped, 1 rejected (of 3 read)');
    expect(result.stdout).toContain('line 3: input_tokens "-1" is not a whole number >= 0');
  });

  it('prints one JSON object with --json', async () => {
    const result = await cli('load', '--db', db, '--calls', folder.file('calls.ndjson', calls), '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ loads: [{ kind: 'calls', loaded: 2, rejected: 1 }] });
  });

  it('runs the rollup and prints the monthly report, with calls without a feature as feature null', async () => {
    await cli('load', '--db', db, '--calls', folder.file('calls.ndjson', calls));
    const run = await cli('run', 'rollup', '--db', db, '--as-of', '2026-03-03', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ job: 'rollup', as_of: '2026-03-03', findings: [], spend_usd: '1.000000000' });
    const report = await cli('report', 'cost-per-outcome', '--db', db, '--month', '2026-03', '--format', 'json');
    const { rows } = JSON.parse(report.stdout);
    expect(rows.map((r: { feature: string | null; spend_usd: string }) => [r.feature, r.spend_usd])).toEqual([
      ['chat', '0.250000000'],
      [null, '0.750000000'],
    ]);
  });

  it('writes the report as CSV to a file', async () => {
    await cli('load', '--db', db, '--calls', folder.file('calls.ndjson', calls));
    await cli('run', 'rollup', '--db', db, '--as-of', '2026-03-03');
    const output = `${folder.dir}/report.csv`;
    expect((await cli('report', 'cost-per-outcome', '--db', db, '--month', '2026-03', '--format', 'csv', '--output', output)).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(output, 'utf8').split('\n')[0]).toMatch(/^feature,unit,spend_usd,calls,/);
  });

  const usageErrors = [
    { name: 'an unknown job', args: ['run', 'nonsense'], message: /there is no job "nonsense"/ },
    { name: 'a malformed --as-of', args: ['run', 'rollup', '--as-of', '2026-13-01'], message: /--as-of "2026-13-01" is not a date/ },
    { name: 'a malformed --month', args: ['report', 'cost-per-outcome', '--month', 'March'], message: /month "March" is not a month/ },
    { name: 'an unknown format', args: ['report', 'cost-per-outcome', '--format', 'xml'], message: /--format xml is not one of table, csv, json/ },
    { name: 'load without a file', args: ['load'], message: /load needs --calls FILE/ },
    { name: 'an unknown command', args: ['frobnicate'], message: /unknown command/ },
  ];

  it.each(usageErrors)('exits 2 on $name, saying what is wrong', async ({ args, message }) => {
    const result = await cli(...args, '--db', db);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 when a file cannot be read', async () => {
    const result = await cli('load', '--db', db, '--calls', `${folder.dir}/missing.csv`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/missing\.csv/);
  });
});
