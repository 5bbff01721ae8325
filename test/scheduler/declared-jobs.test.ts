import { describe, expect, it } from 'vitest';
import { declaredJobs, parseDeclaredJobs } from '../../functions/scheduler/declared-jobs.js';
import { jobs } from '../../functions/jobs/registry.js';

/** CONTRACT.md's table: job, function, schedule (UTC). */
const contract = [
  { name: 'rollup', function: 'rollup', schedule: '0 2 * * *' },
  { name: 'forecast', function: 'forecast', schedule: '0 5 * * 1' },
  { name: 'detect', function: 'detect', schedule: '0 3 * * *' },
  { name: 'anomaly-scan', function: 'anomalyScan', schedule: '30 * * * *' },
  { name: 'digest', function: 'digest', schedule: '0 9 * * 1' },
  { name: 'month-end', function: 'monthEnd', schedule: '0 8 1 * *' },
];

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('the job declaration in terraform/jobs.json', () => {
  const declaration = declaredJobs();

  it('declares the contract\'s scheduled jobs with their functions and schedules, in UTC', () => {
    expect(declaration.jobs.map(({ name, function: fn, schedule }) => ({ name, function: fn, schedule }))).toEqual(contract);
    expect(new Set(declaration.jobs.map((j) => j.timeZone))).toEqual(new Set(['Etc/UTC']));
  });

  it('names each function the camelCase of its job and each resource by the prefix and the job', () => {
    for (const job of declaration.jobs) {
      expect(job.function).toBe(camelCase(job.name));
      expect(job.resourceId).toBe(`${declaration.namePrefix}-${job.name}`);
    }
  });

  it.each(contract)('has the job $name in the registry, so its function has code to run', ({ name }) => {
    expect(Object.keys(jobs)).toContain(name);
  });
});

describe('parsing a job declaration', () => {
  const valid = { name_prefix: 'ai-finops', time_zone: 'Etc/UTC', jobs: { rollup: { function: 'rollup', schedule: '0 2 * * *', description: 'd' } } };
  const cases = [
    { name: 'text that is not JSON', text: '{', message: /x\.json is not valid JSON/ },
    { name: 'a cron with four fields', text: JSON.stringify({ ...valid, jobs: { rollup: { ...valid.jobs.rollup, schedule: '0 2 * *' } } }), message: /jobs\.rollup\.schedule: five cron fields/ },
    { name: 'an unknown key', text: JSON.stringify({ ...valid, timezone: 'UTC' }), message: /unrecognized key.*timezone/i },
    { name: 'a prefix with capitals', text: JSON.stringify({ ...valid, name_prefix: 'AI' }), message: /name_prefix: up to 20 lowercase letters/ },
  ];
  it.each(cases)('rejects $name, naming the key', ({ text, message }) => {
    expect(() => parseDeclaredJobs(text, 'x.json')).toThrow(message);
  });
});
