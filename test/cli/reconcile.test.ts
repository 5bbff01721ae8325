import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli } from '../support/cli.js';
import { ndjson, tempFolder } from '../support/tmp.js';

const folder = tempFolder();
const db = `${folder.dir}/ledger.duckdb`;
const config = folder.file('finops.config.yaml', 'version: 1\ndetectors:\n  invoice:\n    max_gap_share: 0.02\n');
const ledger = ['--db', db, '--config', config];

/** October: gpt-4o 3 calls of $0.1 and 1,000 tokens; gpt-4o-mini one call of $0.01 through OpenAI, one through Azure. */
const calls = ndjson([
  ...[1, 2, 3].map((d) => ({ ts: `2026-10-0${d}T10:00:00Z`, call_id: `g${d}`, feature: 'chat', model: 'gpt-4o', input_tokens: 800, output_tokens: 200, cost_usd: '0.1' })),
  ...['openai', 'azure'].map((provider) => ({ ts: '2026-10-04T10:00:00Z', call_id: `m-${provider}`, provider, model: 'gpt-4o-mini', input_tokens: 80, output_tokens: 20, cost_usd: '0.01' })),
]);

describe('ai-finops reconcile', () => {
  beforeAll(async () => {
    vi.stubEnv('FINOPS_ENGINE', '');
    await cli('load', ...ledger, '--calls', folder.file('calls.ndjson', calls));
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    folder.remove();
  });

  it('prints the invoice beside the ledger as a table', async () => {
    const invoice = folder.file('ok.csv', 'month,model,tokens,cost_usd\n2026-10,gpt-4o,3000,0.3\n');
    const { code, stdout } = await cli('reconcile', '--invoice', invoice, ...ledger, '--as-of', '2026-11-03');
    expect(code).toBe(0);
    expect(stdout).toContain('Invoice ok.csv against the ledger');
    expect(stdout).toMatch(/2026-10\s+–\s+gpt-4o\s+3,000\s+3,000\s+\+0\.0%\s+\$0\.300\s+\$0\.300\s+\$0\.00\s+\+0\.0%\s+ok/);
    expect(stdout).toContain('The ledger agrees with the invoice within 2.0% on every month and model.');
  });

  it('prints the job, its as-of day, the findings and the rows with --json, and stores the finding once', async () => {
    const invoice = folder.file('high.csv', 'month,model,cost_usd\n2026-10,gpt-4o,0.31\n');
    const first = await cli('reconcile', '--invoice', invoice, ...ledger, '--as-of', '2026-11-03', '--json');
    expect(first.code).toBe(0);
    const json = JSON.parse(first.stdout);
    expect(json).toMatchObject({ job: 'reconcile', as_of: '2026-11-03', invoice: 'high.csv', max_gap_share: 0.02 });
    expect(json.rows).toEqual([expect.objectContaining({ cost_gap_usd: '-0.010000000', mismatch: true })]);
    expect(json.findings).toEqual([expect.objectContaining({ key: 'invoice_mismatch:2026-10:gpt-4o', status: 'open', impact_usd_month: '0.010000000' })]);
    await cli('reconcile', '--invoice', invoice, ...ledger, '--as-of', '2026-11-04');
    const listed = JSON.parse((await cli('findings', ...ledger, '--json')).stdout);
    expect(listed.findings.filter((f: { kind: string }) => f.kind === 'invoice_mismatch')).toHaveLength(1);
  });

  it('compares with the calls of the provider --provider names, and keys the finding by it', async () => {
    const invoice = folder.file('mini.csv', 'month,model,cost_usd\n2026-10,gpt-4o-mini,0.01\n');
    const { code, stdout } = await cli('reconcile', '--invoice', invoice, '--provider', 'openai', ...ledger, '--as-of', '2026-11-03', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).rows).toEqual([expect.objectContaining({ provider: 'openai', ledger_calls: 1, ledger_cost_usd: '0.010000000', mismatch: false })]);
  });

  it('fails naming the providers and the fix when the invoice does not say which one billed it', async () => {
    const invoice = folder.file('which.csv', 'month,model,cost_usd\n2026-10,gpt-4o-mini,0.01\n');
    const { code, stderr } = await cli('reconcile', '--invoice', invoice, ...ledger, '--as-of', '2026-11-03');
    expect(code).toBe(1);
    expect(stderr).toContain('line 2 (gpt-4o-mini, 2026-10): the ledger holds it under azure, openai');
    expect(stderr).toContain('add a provider column to the CSV (provider,month,model,...), or run with --provider NAME');
  });

  it('fails with the line, the field and the fix of a bad invoice value', async () => {
    const invoice = folder.file('bad.csv', 'month,model,cost_usd\nOct 2026,gpt-4o,0.3\n');
    const { code, stderr } = await cli('reconcile', '--invoice', invoice, ...ledger);
    expect(code).toBe(1);
    expect(stderr).toContain('line 2, month: "Oct 2026" is not a month: write it as YYYY-MM, e.g. 2026-10');
  });

  it('exits 2 when the invoice file cannot be read', async () => {
    const { code, stderr } = await cli('reconcile', '--invoice', `${folder.dir}/missing.csv`, ...ledger);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read --invoice .*missing\.csv: give the path of the provider's CSV export/);
  });
});
