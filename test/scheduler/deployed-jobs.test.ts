import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../functions/config/settings.js';
import { schedulerFromSettings, type Scheduler } from '../../functions/scheduler/client.js';
import { listDeployedJobs, runDeployedJob } from '../../functions/scheduler/deployed-jobs.js';
import { FakeScheduler, testParent as parent, type FakeJob } from './support/fake-scheduler.js';

const job = (id: string, over: Partial<FakeJob> = {}): FakeJob => ({
  name: `${parent}/jobs/${id}`,
  schedule: '0 2 * * *',
  timeZone: 'Etc/UTC',
  state: 'ENABLED',
  httpTarget: {
    uri: `https://${id}-abc123-ew.a.run.app`,
    httpMethod: 'POST',
    oidcToken: { serviceAccountEmail: 'scheduler@demo-project.iam.gserviceaccount.com', audience: `https://${id}-abc123-ew.a.run.app` },
  },
  ...over,
});

describe('the deployed Cloud Scheduler jobs, read with the real client over REST', () => {
  let fake: FakeScheduler;
  let scheduler: Scheduler;
  beforeAll(async () => {
    fake = await FakeScheduler.start();
    scheduler = await schedulerFromSettings(
      parseSettings({ FINOPS_BQ_PROJECT: 'demo-project', FINOPS_REGION: 'europe-west1', FINOPS_SCHEDULER_API_ENDPOINT: fake.endpoint }),
    );
  });
  afterAll(async () => {
    await scheduler.client.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  it('lists every job of the region across pages, with state, target and last attempt', async () => {
    fake.addJob(job('ai-finops-rollup', { lastAttemptTime: '2026-11-26T02:00:03.250Z', scheduleTime: '2026-11-27T02:00:00Z' }));
    fake.addJob(job('ai-finops-detect', { state: 'PAUSED', lastAttemptTime: '2026-11-26T03:00:00Z', status: { code: 13, message: 'internal' } }));
    fake.addJob(job('ai-finops-forecast', { httpTarget: undefined }));
    fake.addJob({ ...job('other'), name: 'projects/demo-project/locations/us-central1/jobs/other' });

    const jobs = await listDeployedJobs(scheduler);

    expect(fake.requests.filter((r) => r.route === 'list')).toHaveLength(2);
    expect(jobs).toEqual([
      {
        id: 'ai-finops-rollup',
        name: `${parent}/jobs/ai-finops-rollup`,
        schedule: '0 2 * * *',
        timeZone: 'Etc/UTC',
        state: 'ENABLED',
        uri: 'https://ai-finops-rollup-abc123-ew.a.run.app',
        oidcServiceAccount: 'scheduler@demo-project.iam.gserviceaccount.com',
        lastAttemptAt: '2026-11-26T02:00:03.250Z',
        lastAttemptStatus: 'ok',
        nextRunAt: '2026-11-27T02:00:00.000Z',
      },
      expect.objectContaining({ id: 'ai-finops-detect', state: 'PAUSED', lastAttemptStatus: 'error 13' }),
      expect.objectContaining({ id: 'ai-finops-forecast', uri: null, oidcServiceAccount: null, lastAttemptAt: null, lastAttemptStatus: null }),
    ]);
  });

  it('runs a job now by its id and returns it with the new attempt', async () => {
    fake.addJob(job('ai-finops-month-end'));
    const ran = await runDeployedJob(scheduler, 'ai-finops-month-end');
    expect(fake.requests.map((r) => [r.route, r.method, r.path])).toEqual([['run', 'POST', `/v1/${parent}/jobs/ai-finops-month-end:run`]]);
    expect(ran).toMatchObject({ id: 'ai-finops-month-end', lastAttemptAt: '2026-12-01T08:00:00.000Z' });
  });

  it('says to check the project, the region and terraform apply when the job does not exist', async () => {
    await expect(runDeployedJob(scheduler, 'ai-finops-nothing')).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/running the job ai-finops-nothing.*\n.*FINOPS_BQ_PROJECT and FINOPS_REGION.*terraform apply/s),
    });
  });

  it('names the role to ask for when permission is denied', async () => {
    fake.failNext(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    await expect(listDeployedJobs(scheduler)).rejects.toMatchObject({
      code: 'bad_config',
      message: expect.stringContaining('roles/cloudscheduler.viewer'),
    });
  });
});

describe('the Cloud Scheduler settings', () => {
  const cases = [
    { name: 'the project', env: { FINOPS_REGION: 'europe-west1' }, message: /^FINOPS_BQ_PROJECT is not set/ },
    { name: 'the region', env: { FINOPS_BQ_PROJECT: 'demo-project' }, message: /^FINOPS_REGION is not set/ },
  ];
  it.each(cases)('name the variable when $name is missing', async ({ env, message }) => {
    await expect(schedulerFromSettings(parseSettings(env))).rejects.toMatchObject({ code: 'bad_config', message: expect.stringMatching(message) });
  });

  it('reject an endpoint that is not a URL, naming the variable', async () => {
    const env = { FINOPS_BQ_PROJECT: 'p', FINOPS_REGION: 'r', FINOPS_SCHEDULER_API_ENDPOINT: 'http://[bad' };
    await expect(schedulerFromSettings(parseSettings(env))).rejects.toThrow(/FINOPS_SCHEDULER_API_ENDPOINT "http:\/\/\[bad" is not a URL/);
  });
});
