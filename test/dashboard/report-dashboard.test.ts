import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../functions/config/finops-config.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { loadFile } from '../../functions/ledger/load.js';
import { cli } from '../support/cli.js';
import { ndjson, tempFolder } from '../support/tmp.js';

/** `ai-finops report dashboard` (functions/cli/commands/report-dashboard.ts), in process, on a ledger file. */

const folder = tempFolder();
const db = `${folder.dir}/ledger.duckdb`;
const ledger = ['--db', db];

/** A ledger file with March 2026: chat spends $0.10 on each of three days, in segment pro; rolled up. */
async function writeLedger(): Promise<void> {
  const engine = await DuckDBEngine.open(db);
  try {
    await engine.ensureTables();
    const calls = [1, 2, 3].map((d) => ({ ts: `2026-03-0${d}T10:00:00Z`, call_id: `c${d}`, feature: 'chat', segment: 'pro', model: 'm', input_tokens: 10, output_tokens: 5, cost_usd: '0.1' }));
    await loadFile(engine, 'calls', folder.file('calls.ndjson', ndjson(calls)));
    await runRollup({ engine, config: defaultConfig, asOf: '2026-03-05', now: () => new Date() });
  } finally {
    await engine.close();
  }
}

describe('ai-finops report dashboard', () => {
  beforeAll(async () => {
    vi.stubEnv('FINOPS_CONFIG', '');
    vi.stubEnv('FINOPS_ENGINE', '');
    await writeLedger();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    folder.remove();
  });

  it('writes the month as one HTML file and says where', async () => {
    const output = `${folder.dir}/march.html`;
    const { code, stdout } = await cli('report', 'dashboard', ...ledger, '--month', '2026-03', '--output', output);
    expect(code).toBe(0);
    expect(stdout).toBe(`Wrote the 2026-03 dashboard to ${output}; open it in a browser.\n`);
    const html = readFileSync(output, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>AI spend: March 2026</h1>');
    expect(html).toContain('<span class="value">$0.300</span>');
  });

  it('prints one JSON object with --json', async () => {
    const output = `${folder.dir}/march-json.html`;
    const { code, stdout } = await cli('report', 'dashboard', ...ledger, '--month', '2026-03', '--output', output, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ month: '2026-03', output, bytes: readFileSync(output).length });
  });

  it.each([
    { name: 'without --output', args: ['--month', '2026-03'], message: '--output FILE.html is required' },
    { name: 'for a month that is not one', args: ['--month', '2026-13', '--output', `${folder.dir}/x.html`], message: 'month "2026-13" is not a month' },
  ])('fails as bad usage $name, writing nothing', async ({ args, message }) => {
    const { code, stderr } = await cli('report', 'dashboard', ...ledger, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(existsSync(`${folder.dir}/x.html`)).toBe(false);
  });
});
