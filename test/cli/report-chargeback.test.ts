import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCsv } from '../../functions/forecast/series-csv.js';
import { cli } from '../support/cli.js';
import { ndjson, tempFolder } from '../support/tmp.js';

const folder = tempFolder();
const db = `${folder.dir}/ledger.duckdb`;
const ledger = ['--db', db];

/** March: pro pays 3 x $0.1 (floats would say 0.30000000000000004), free $0.2, and $0.7 has no segment. */
const calls = ndjson([
  ...[1, 2, 3].map((d) => ({ ts: `2026-03-0${d}T10:00:00Z`, call_id: `p${d}`, feature: 'chat', segment: 'pro', customer_id: 'acme', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5, cost_usd: '0.1' })),
  { ts: '2026-03-02T11:00:00Z', call_id: 'f1', feature: 'chat', segment: 'free', customer_id: 'zeta', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5, cost_usd: '0.2' },
  { ts: '2026-03-02T12:00:00Z', call_id: 'n1', feature: 'search', model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5, cost_usd: '0.7' },
]);

describe('ai-finops report chargeback', () => {
  beforeAll(async () => {
    vi.stubEnv('FINOPS_CONFIG', '');
    vi.stubEnv('FINOPS_ENGINE', '');
    await cli('load', ...ledger, '--calls', folder.file('calls.ndjson', calls));
    await cli('run', 'rollup', ...ledger, '--as-of', '2026-03-05');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    folder.remove();
  });

  it('prints the bill by segment as a table, the unattributed line and the total last', async () => {
    const { code, stdout } = await cli('report', 'chargeback', ...ledger, '--month', '2026-03');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Chargeback by segment, 2026-03/);
    expect(stdout).toMatch(/\(no segment: unattributed\)\s+1\s+15\s+\$0\.700\s+58%[\s\S]*total\s+5\s+75\s+\$1\.20\s+100%/);
  });

  it('prints one JSON object with --json, money as exact decimal strings', async () => {
    const { code, stdout } = await cli('report', 'chargeback', ...ledger, '--month', '2026-03', '--by', 'customer', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ month: '2026-03', by: 'customer', total: { calls: 5, spend_usd: '1.200000000' } });
    expect(json.rows.map((r: { customer: string | null; spend_usd: string }) => [r.customer, r.spend_usd])).toEqual([
      ['acme', '0.300000000'],
      ['zeta', '0.200000000'],
      [null, '0.700000000'],
    ]);
  });

  it('writes CSV by feature with the owner column first', async () => {
    const { stdout } = await cli('report', 'chargeback', ...ledger, '--month', '2026-03', '--by', 'feature', '--format', 'csv');
    const [header, ...rows] = parseCsv(stdout).filter((r) => r.join('') !== '');
    expect(header!.slice(0, 3)).toEqual(['feature', 'calls', 'requests']);
    expect(rows.map((r) => [r[0], r[header!.indexOf('spend_usd')]])).toEqual([
      ['search', '0.700000000'],
      ['chat', '0.500000000'],
    ]);
  });

  it('writes the FOCUS export to --output', async () => {
    const output = `${folder.dir}/focus.csv`;
    const { code, stdout } = await cli('report', 'chargeback', ...ledger, '--month', '2026-03', '--format', 'focus', '--output', output);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const [header, ...rows] = parseCsv(readFileSync(output, 'utf8')).filter((r) => r.join('') !== '');
    expect(header).toContain('BilledCost');
    // one row per day, model, segment and feature: pro on 3 days, and free and no segment on the 2nd
    expect(rows).toHaveLength(5);
  });

  it('bills the FOCUS rows to the billing account the --config names', async () => {
    const config = folder.file('billing.yaml', 'version: 1\nbilling:\n  accounts:\n    unknown: {id: acct-7, name: Acme AI}\n');
    const { code, stdout } = await cli('report', 'chargeback', ...ledger, '--config', config, '--month', '2026-03', '--format', 'focus');
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(stdout).filter((r) => r.join('') !== '');
    const column = (name: string) => rows.map((r) => r[header!.indexOf(name)]);
    // these calls name no provider: without the config their account would be "unknown"
    expect(new Set(column('BillingAccountId'))).toEqual(new Set(['acct-7']));
    expect(new Set(column('BillingAccountName'))).toEqual(new Set(['Acme AI']));
  });

  it.each([
    { name: 'an unknown --by', args: ['--by', 'team'], says: /--by team is not one of segment, feature, customer/ },
    { name: 'an unknown --format', args: ['--format', 'xml'], says: /--format xml is not one of table, csv, json, focus/ },
    { name: 'a month that is not a month', args: ['--month', '2026-13'], says: /month "2026-13" is not a month/ },
  ])('exits 2 on $name, saying what to do', async ({ args, says }) => {
    const { code, stderr } = await cli('report', 'chargeback', ...ledger, ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(says);
  });
});
