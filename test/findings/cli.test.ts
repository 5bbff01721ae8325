import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { loadScenario, when } from '../detect/support/scenario.js';
import { configYaml, daysBefore, end, scenario, streams } from '../detect/support/workloads.js';
import { cli } from '../support/cli.js';
import { tempFolder } from '../support/tmp.js';

describe('ai-finops run detect, findings and findings ack', () => {
  const folder = tempFolder();
  const db = join(folder.dir, 'ledger.duckdb');
  const config = folder.file('finops.config.yaml', configYaml);
  const ledger = ['--db', db, '--config', config];

  beforeAll(async () => {
    const engine = await DuckDBEngine.open(db);
    await engine.ensureTables();
    const storm = when('review', 6, (r) => ({ ...r, failure_rate: 0.75, max_attempts: 5 }), { until: 5, fromHour: 13, toHour: 17 });
    await loadScenario(engine, scenario({ streams: [streams.review, streams.search], effects: [storm] }));
    await engine.close();
  });
  afterAll(() => folder.remove());

  it('run retries --json prints the job, its as-of day and its findings', async () => {
    const { code, stdout } = await cli('run', 'retries', ...ledger, '--as-of', end, '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ job: 'retries', as_of: end });
    expect(json.findings.map((f: { kind: string }) => f.kind).sort()).toEqual(['retry_cap_exceeded', 'retry_storm']);
  });

  it('findings lists them ranked, with their keys and a hint to snooze one', async () => {
    const { code, stdout } = await cli('findings', ...ledger);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Findings: 1 page, 1 warn/);
    expect(stdout).toContain(`retry_storm:gpt-4o-mini:${daysBefore(6)}`);
    expect(stdout).toMatch(/Snooze one with: ai-finops findings ack KEY --until YYYY-MM-DD/);
  });

  it('findings ack KEY --until DATE snoozes one, and --status acked lists it', async () => {
    const key = `retry_storm:gpt-4o-mini:${daysBefore(6)}`;
    const acked = await cli('findings', 'ack', key, '--until', '2099-01-31', ...ledger, '--json');
    expect(acked.code).toBe(0);
    expect(JSON.parse(acked.stdout).finding).toMatchObject({ key, status: 'acked', acked_until: '2099-01-31' });
    const { stdout } = await cli('findings', '--status', 'acked', ...ledger, '--json');
    expect(JSON.parse(stdout).findings.map((f: { key: string }) => f.key)).toEqual([key]);
  });

  it.each([
    { name: 'an unknown key', args: ['findings', 'ack', 'nope'], says: /no finding has the key "nope"/ },
    { name: 'an unknown status', args: ['findings', '--status', 'closed'], says: /--status closed is not one of open, acked, resolved/ },
    { name: 'a day that is not a date', args: ['findings', 'ack', 'x', '--until', 'tomorrow'], says: /--until "tomorrow" is not a date/ },
  ])('exits 2 on $name, saying what to do', async ({ args, says }) => {
    const { code, stderr } = await cli(...args, ...ledger);
    expect(code).toBe(2);
    expect(stderr).toMatch(says);
  });
});
