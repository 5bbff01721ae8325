import { describe, expect, it, vi } from 'vitest';
import { declaredJobs } from '../../functions/scheduler/declared-jobs.js';
import { testParent as parent, useFakeScheduler, type FakeJob } from '../scheduler/support/fake-scheduler.js';
import { cli } from '../support/cli.js';

/** The jobs as terraform apply leaves them: every declared job, on its function, with an OIDC token. */
function deployedAsDeclared(): FakeJob[] {
  return declaredJobs().jobs.map((job) => ({
    name: `${parent}/jobs/${job.resourceId}`,
    schedule: job.schedule,
    timeZone: job.timeZone,
    state: 'ENABLED',
    httpTarget: {
      uri: `https://${job.resourceId}-k2x9abcd-ew.a.run.app`,
      httpMethod: 'POST',
      oidcToken: { serviceAccountEmail: 'ai-finops-scheduler@demo-project.iam.gserviceaccount.com', audience: `https://${job.resourceId}-k2x9abcd-ew.a.run.app` },
    },
    lastAttemptTime: '2026-11-26T02:00:04Z',
    scheduleTime: '2026-11-27T02:00:00Z',
  }));
}

describe('ai-finops schedules', () => {
  const scheduler = useFakeScheduler();

  it('lists the deployed jobs with schedule, time zone, state and last attempt, and says all match', async () => {
    for (const job of deployedAsDeclared()) scheduler.fake.addJob(job);
    const result = await cli('schedules');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Scheduled jobs in ${parent}`);
    expect(result.stdout).toMatch(/^rollup\s+0 2 \* \* \*\s+Etc\/UTC\s+ENABLED\s+2026-11-26 02:00Z ok\s+2026-11-27 02:00Z\s+no$/m);
    expect(result.stdout).toMatch(/^month-end\s+0 8 1 \* \*\s+Etc\/UTC\s+ENABLED/m);
    expect(result.stdout).toContain('Every job matches terraform/jobs.json.');
  });

  it('flags a changed schedule, a wrong target, a paused job and a missing one', async () => {
    const jobs = deployedAsDeclared();
    jobs[0]!.schedule = '0 4 * * *'; // rollup
    jobs[2]!.httpTarget!.uri = 'https://example.com/hook'; // detect
    jobs[3]!.state = 'PAUSED'; // anomaly-scan
    for (const job of jobs.filter((j) => !j.name.endsWith('/ai-finops-digest'))) scheduler.fake.addJob(job);

    const result = await cli('schedules', '--json');
    expect(result.code).toBe(0);
    const { schedules, differences } = JSON.parse(result.stdout);
    expect(differences).toBe(4);
    expect(Object.fromEntries(schedules.map((s: { job: string; differences: string[] }) => [s.job, s.differences]))).toEqual({
      rollup: ['schedule: "0 4 * * *" Etc/UTC, declared "0 2 * * *" Etc/UTC'],
      forecast: [],
      detect: ['target: calls https://example.com/hook, declared the function ai-finops-detect'],
      'anomaly-scan': ['paused: will not run until resumed'],
      digest: ['missing: not deployed; run terraform apply'],
      'month-end': [],
    });
    expect(schedules[0]).toMatchObject({
      scheduler_job: 'ai-finops-rollup',
      time_zone: 'Etc/UTC',
      state: 'ENABLED',
      last_attempt_at: '2026-11-26T02:00:04.000Z',
      last_attempt_status: 'ok',
    });

    const table = await cli('schedules');
    expect(table.stdout).toMatch(/^digest\s+–\s+–\s+MISSING\s+–\s+–\s+missing$/m);
    expect(table.stdout).toContain('  anomaly-scan: paused: will not run until resumed');
  });

  it('exits 1 naming the variable when the region is not set', async () => {
    vi.stubEnv('FINOPS_REGION', '');
    const result = await cli('schedules');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FINOPS_REGION is not set/);
    expect(scheduler.fake.requests).toEqual([]);
  });
});
