import { beforeEach, describe, expect, it, vi } from 'vitest';
import { testParent as parent, useFakeScheduler } from '../scheduler/support/fake-scheduler.js';
import { cli } from '../support/cli.js';

describe('ai-finops trigger', () => {
  const scheduler = useFakeScheduler();
  beforeEach(() => {
    scheduler.fake.addJob({ name: `${parent}/jobs/ai-finops-month-end`, schedule: '0 8 1 * *', timeZone: 'Etc/UTC', state: 'ENABLED' });
  });

  it('runs the deployed job of a CLI job name now, through Cloud Scheduler', async () => {
    const result = await cli('trigger', 'month-end');
    expect(result.code).toBe(0);
    expect(scheduler.fake.requests.map((r) => [r.route, r.path])).toEqual([['run', `/v1/${parent}/jobs/ai-finops-month-end:run`]]);
    expect(result.stdout).toContain('Triggered month-end: Cloud Scheduler runs ai-finops-month-end now, which calls the function monthEnd');
  });

  it('prints one JSON object with --json', async () => {
    const result = await cli('trigger', 'month-end', '--json');
    expect(JSON.parse(result.stdout)).toEqual({
      job: 'month-end',
      scheduler_job: `${parent}/jobs/ai-finops-month-end`,
      function: 'monthEnd',
      state: 'ENABLED',
      last_attempt_at: '2026-12-01T08:00:00.000Z',
      next_run_at: null,
    });
  });

  it('exits 2 on a job that is not scheduled, listing those that are, and calls nothing', async () => {
    const result = await cli('trigger', 'drift');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/there is no scheduled job "drift": the scheduled jobs are rollup, forecast, detect, anomaly-scan, digest, month-end/);
    expect(scheduler.fake.requests).toEqual([]);
  });

  it('exits 1 with the fix when the job is not deployed', async () => {
    scheduler.fake.reset();
    const result = await cli('trigger', 'rollup');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/running the job ai-finops-rollup: Job not found.*\n.*terraform apply/);
  });

  it('exits 1 naming the variable when the project is not set', async () => {
    vi.stubEnv('FINOPS_BQ_PROJECT', '');
    const result = await cli('trigger', 'rollup');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FINOPS_BQ_PROJECT is not set/);
  });
});
