import { describe, expect, it } from 'vitest';
import { callsFunction, compareSchedules } from '../../functions/scheduler/compare.js';
import type { JobDeclaration } from '../../functions/scheduler/declared-jobs.js';
import type { DeployedJob } from '../../functions/scheduler/deployed-jobs.js';

const declaration: JobDeclaration = {
  namePrefix: 'ai-finops',
  jobs: [
    { name: 'rollup', function: 'rollup', schedule: '0 2 * * *', timeZone: 'Etc/UTC', description: 'r', resourceId: 'ai-finops-rollup' },
    { name: 'anomaly-scan', function: 'anomalyScan', schedule: '0 * * * *', timeZone: 'Etc/UTC', description: 'a', resourceId: 'ai-finops-anomaly-scan' },
  ],
};

const deployed = (id: string, over: Partial<DeployedJob> = {}): DeployedJob => ({
  id,
  name: `projects/p/locations/r/jobs/${id}`,
  schedule: id === 'ai-finops-rollup' ? '0 2 * * *' : '0 * * * *',
  timeZone: 'Etc/UTC',
  state: 'ENABLED',
  uri: `https://${id}-x7y2-ew.a.run.app`,
  oidcServiceAccount: 'scheduler@p.iam.gserviceaccount.com',
  lastAttemptAt: null,
  lastAttemptStatus: null,
  nextRunAt: null,
  ...over,
});

describe('comparing deployed schedules with the declaration', () => {
  const cases: { name: string; rollup: Partial<DeployedJob>; expected: string[] }[] = [
    { name: 'a job as declared', rollup: {}, expected: [] },
    { name: 'another cron', rollup: { schedule: '0 3 * * *' }, expected: ['schedule: "0 3 * * *" Etc/UTC, declared "0 2 * * *" Etc/UTC'] },
    { name: 'another time zone', rollup: { timeZone: 'Europe/Paris' }, expected: ['schedule: "0 2 * * *" Europe/Paris, declared "0 2 * * *" Etc/UTC'] },
    {
      name: 'a target that is another function',
      rollup: { uri: 'https://ai-finops-detect-x7y2-ew.a.run.app' },
      expected: ['target: calls https://ai-finops-detect-x7y2-ew.a.run.app, declared the function ai-finops-rollup'],
    },
    { name: 'no HTTP target', rollup: { uri: null }, expected: ['target: calls no URL, declared the function ai-finops-rollup'] },
    { name: 'no OIDC token', rollup: { oidcServiceAccount: null }, expected: ['target: sends no OIDC token, so the function refuses the call'] },
    { name: 'a paused job', rollup: { state: 'PAUSED' }, expected: ['paused: will not run until resumed'] },
    { name: 'a job whose update failed', rollup: { state: 'UPDATE_FAILED' }, expected: ['paused: state UPDATE_FAILED, will not run'] },
  ];

  it.each(cases)('flags $name accordingly', ({ rollup, expected }) => {
    const rows = compareSchedules(declaration, [deployed('ai-finops-rollup', rollup), deployed('ai-finops-anomaly-scan')]);
    expect(rows.map((r) => [r.job, r.differences])).toEqual([
      ['rollup', expected],
      ['anomaly-scan', []],
    ]);
  });

  it('lists a declared job that is not deployed as missing, and a prefixed one not declared as undeclared, ignoring others', () => {
    const rows = compareSchedules(declaration, [deployed('ai-finops-rollup'), deployed('ai-finops-old-job'), deployed('someone-elses-job')]);
    expect(rows.map((r) => [r.job, r.id, r.differences])).toEqual([
      ['rollup', 'ai-finops-rollup', []],
      ['anomaly-scan', 'ai-finops-anomaly-scan', ['missing: not deployed; run terraform apply']],
      [null, 'ai-finops-old-job', ['undeclared: not in terraform/jobs.json; delete it or declare it']],
    ]);
  });
});

describe('whether a URL calls a function', () => {
  const cases = [
    { uri: 'https://ai-finops-rollup-x7y2abc-ew.a.run.app', expected: true },
    { uri: 'https://ai-finops-rollup-123456789.europe-west1.run.app/', expected: true },
    { uri: 'https://europe-west1-demo-project.cloudfunctions.net/ai-finops-rollup', expected: true },
    { uri: 'https://europe-west1-demo-project.cloudfunctions.net/ai-finops-detect', expected: false },
    { uri: 'http://ai-finops-rollup-x7y2abc-ew.a.run.app', expected: false },
    { uri: 'https://ai-finops-rollup-x7y2abc.example.com', expected: false },
    { uri: 'not a url', expected: false },
  ];
  it.each(cases)('$uri is the function ai-finops-rollup: $expected', ({ uri, expected }) => {
    expect(callsFunction(uri, 'ai-finops-rollup')).toBe(expected);
  });
});
