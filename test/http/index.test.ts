import { getFunction } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rmSync } from 'node:fs';
import { functionOutDir } from '../../functions/http/job-context.js';
import { declaredJobs } from '../../functions/scheduler/declared-jobs.js';
import { tempFolder } from '../support/tmp.js';
import { callFunction } from './support/call-function.js';
import { ledgerFile } from './support/ledger-file.js';

/**
 * The deployed entry module: importing it registers one HTTP function per scheduled job, under the names Terraform
 * gives as entry points. Each is called once on a DuckDB ledger, Slack-less, as of a day inside the data.
 */
describe('the functions entry module', () => {
  const declared = declaredJobs().jobs;
  let ledger: Awaited<ReturnType<typeof ledgerFile>>;
  const out = tempFolder();
  const written: string[] = [];
  beforeAll(async () => {
    ledger = await ledgerFile();
    vi.stubEnv('FINOPS_ENGINE', 'duckdb');
    vi.stubEnv('FINOPS_DUCKDB_PATH', ledger.path);
    vi.stubEnv('FINOPS_CONFIG', '');
    vi.stubEnv('SLACK_BOT_TOKEN', '');
    vi.stubEnv('SLACK_CHANNEL', '');
    // A finops.config.yaml in the working folder would be read: run from an empty one.
    vi.spyOn(process, 'cwd').mockReturnValue(out.dir);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await import('../../functions/index.js');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    ledger.remove();
    out.remove();
    for (const file of written) rmSync(file, { force: true });
  });

  it('registers exactly the declared functions', () => {
    for (const job of declared) expect(getFunction(job.function), job.function).toBeTypeOf('function');
    expect(declared.map((job) => job.function)).toEqual(['rollup', 'forecast', 'detect', 'anomalyScan', 'digest', 'monthEnd']);
  });

  it.each(declared.map((job) => [job.function, job.name]))('runs %s (the %s job) and answers 200', async (fn, job) => {
    const answer = await callFunction(fn, JSON.stringify({ asOf: '2026-03-08' }));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ job, as_of: '2026-03-08' });
    // Slack-less (no SLACK_BOT_TOKEN): the messages are written under the instance's temp folder, not the code's.
    for (const message of answer.body.messages ?? []) {
      written.push(...message.written);
      expect(message.written[0]).toMatch(new RegExp('^' + functionOutDir));
    }
  });
});
