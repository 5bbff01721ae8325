import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { jobHandler } from '../../functions/http/job-handler.js';
import type { Logger, Severity } from '../../functions/http/log.js';
import { FakeSlack } from '../support/fake-slack.js';
import { tempFolder } from '../support/tmp.js';
import { callFunction } from './support/call-function.js';
import { ledgerFile } from './support/ledger-file.js';

/** Each test registers its own function under a fresh name, with its own environment and log. */
let n = 0;
function register(job: string, env: NodeJS.ProcessEnv): { name: string; lines: { severity: Severity; message: string; [k: string]: unknown }[] } {
  const name = `test-${job}-${n++}`;
  const lines: { severity: Severity; message: string }[] = [];
  const log: Logger = (severity, message, fields) => lines.push({ ...fields, severity, message });
  http(name, jobHandler(job, { env, log, now: () => new Date('2026-03-08T02:00:00Z') }));
  return { name, lines };
}

describe('a job function', () => {
  let ledger: Awaited<ReturnType<typeof ledgerFile>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => (ledger = await ledgerFile()));
  afterAll(() => ledger.remove());
  beforeEach(() => (env = { FINOPS_ENGINE: 'duckdb', FINOPS_DUCKDB_PATH: ledger.path }));

  it('runs its job as of the day in the body and answers 200 with the job\'s JSON', async () => {
    const { name, lines } = register('rollup', env);
    const answer = await callFunction(name, JSON.stringify({ asOf: '2026-03-05' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ job: 'rollup', as_of: '2026-03-05', findings: [], reconciled: true });
    const engine = await DuckDBEngine.open(ledger.path);
    try {
      const rows = await engine.exec(`select cast(sum(spend_usd) as varchar) as spend from calls_by_day where day < '2026-03-05'`);
      expect(rows).toEqual([{ spend: '0.400000000' }]);
    } finally {
      await engine.close();
    }
    expect(lines.map((l) => l.severity)).toEqual(['INFO', 'INFO']);
    expect(lines[1]).toMatchObject({ job: 'rollup', as_of: '2026-03-05', status: 200, findings: 0 });
  });

  it('runs as of today (UTC) when the body is empty, as Cloud Scheduler sends it', async () => {
    for (const body of [undefined, '{}']) {
      const { name } = register('detect', env);
      const answer = await callFunction(name, body);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ job: 'detect', as_of: '2026-03-08' });
    }
  });

  it('reads a JSON body sent without the JSON content type', async () => {
    const { name } = register('rollup', env);
    const answer = await callFunction(name, '{"asOf": "2026-03-06"}', { contentType: 'application/octet-stream' });
    expect(answer).toMatchObject({ status: 200, body: { as_of: '2026-03-06' } });
  });

  it('leaves the same ledger when Cloud Scheduler retries it', async () => {
    const { name } = register('rollup', env);
    const first = await callFunction(name, '{"asOf": "2026-03-08"}');
    const second = await callFunction(name, '{"asOf": "2026-03-08"}');
    expect(second.status).toBe(200);
    expect(second.body.spend_usd).toBe(first.body.spend_usd);
    const engine = await DuckDBEngine.open(ledger.path);
    try {
      expect(await engine.exec(`select cast(sum(spend_usd) as varchar) as spend, count(*) as n from calls_by_day`)).toEqual([
        { spend: ledger.spend, n: 14 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('answers 400 with the reason for a bad body, runs nothing and logs a warning without the value sent', async () => {
    const { name, lines } = register('rollup', env);
    const answer = await callFunction(name, '{"asOf": "2026-13-01", "note": "jane@example.com"}');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/unknown field "note"/) });
    expect(lines).toEqual([expect.objectContaining({ severity: 'WARNING', status: 400, error: 'bad_input' })]);
    expect(JSON.stringify(lines)).not.toMatch(/2026-13-01|note|jane@example\.com/);
  });

  it('answers 405 to anything but POST', async () => {
    const { name } = register('rollup', env);
    expect((await callFunction(name, undefined, { method: 'GET' })).status).toBe(405);
  });

  const badSettings = [
    { name: 'an unknown engine', env: { FINOPS_ENGINE: 'postgres' }, message: /FINOPS_ENGINE is "postgres"/ },
    { name: 'BigQuery without a dataset', env: { FINOPS_ENGINE: 'bigquery', FINOPS_BQ_PROJECT: 'p' }, message: /FINOPS_BQ_DATASET is not set/ },
    { name: 'a config file that does not exist', env: { FINOPS_CONFIG: '/nonexistent/finops.config.yaml' }, message: /config file \/nonexistent\/finops.config.yaml does not exist/ },
  ];
  it.each(badSettings)('answers 500 naming the variable on $name, and logs it as an error', async ({ env: bad, message }) => {
    const { name, lines } = register('rollup', { ...env, ...bad });
    const answer = await callFunction(name, '{}');
    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatchObject({ code: 'bad_config', message: expect.stringMatching(message) });
    expect(lines.at(-1)).toMatchObject({ severity: 'ERROR', job: 'rollup', error: 'bad_config', status: 500, message: expect.stringMatching(message) });
  });

  it('answers 500 when the engine cannot open the ledger, so Cloud Scheduler retries', async () => {
    const folder = tempFolder();
    try {
      const { name, lines } = register('rollup', { ...env, FINOPS_DUCKDB_PATH: folder.dir });
      const answer = await callFunction(name, '{}');
      expect(answer.status).toBe(500);
      expect(lines.at(-1)).toMatchObject({ severity: 'ERROR', status: 500 });
    } finally {
      folder.remove();
    }
  });

  it('posts with the mounted Slack token, and a retried run posts nothing more', async () => {
    const slack = await FakeSlack.start();
    try {
      const withSlack = { ...env, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl, SLACK_CHANNEL: '#ai-spend' };
      const { name, lines } = register('digest', withSlack);
      const first = await callFunction(name, '{"asOf": "2026-03-09"}');
      const retry = await callFunction(name, '{"asOf": "2026-03-09"}');
      expect([first.status, retry.status]).toEqual([200, 200]);
      expect(slack.posts).toHaveLength(1);
      expect(first.body.messages[0]).toMatchObject({ channel: expect.any(String), outcome: 'posted', written: [] });
      expect(JSON.stringify(lines)).not.toContain('xoxb-test-token');
    } finally {
      await slack.stop();
    }
  });

  it('posts the same digest again when the body asks with "force": true', async () => {
    const slack = await FakeSlack.start();
    try {
      const withSlack = { ...env, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: slack.apiUrl, SLACK_CHANNEL: '#ai-spend' };
      const { name } = register('digest', withSlack);
      await callFunction(name, '{"asOf": "2026-03-16"}');
      const rerun = await callFunction(name, '{"asOf": "2026-03-16"}');
      const forced = await callFunction(name, '{"asOf": "2026-03-16", "force": true}');
      expect(rerun.body.messages[0]).toMatchObject({ outcome: 'already sent' });
      expect(forced.status).toBe(200);
      expect(forced.body.messages[0]).toMatchObject({ outcome: 'posted' });
      expect(slack.posts).toHaveLength(2);
      expect(slack.posts[1]!.form.text).toBe(slack.posts[0]!.form.text);
    } finally {
      await slack.stop();
    }
  });

  it('refuses to serve a job that does not exist, naming the jobs that do', () => {
    expect(() => jobHandler('roll-up')).toThrow(/there is no job "roll-up" to serve: the jobs are rollup, forecast/);
  });
});
