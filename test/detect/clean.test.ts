import { describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/findings/finding.js';
import { aboveInfo, daysBefore, ledgerWith, runJob, scenario, type RunJob } from './support/workloads.js';

/**
 * No false pages: 120 days of healthy traffic (weekly seasonality, a diurnal profile, growth or decline, day and
 * hour noise) on every control feature, judged by every job as of several days, as the daily job would have been
 * run across the whole window: nothing above info.
 */

const runs: { job: RunJob; asOf: string }[] = [
  { job: 'detect', asOf: daysBefore(80) },
  { job: 'detect', asOf: daysBefore(40) },
  { job: 'anomaly-scan', asOf: daysBefore(10) },
  { job: 'detect', asOf: daysBefore(0) },
  { job: 'anomaly-scan', asOf: daysBefore(0) },
];

describe('on clean data, across 120 days', () => {
  it.each([
    { name: 'the usual noise and 0.3% growth a day', seed: 101 },
    { name: 'heavy noise and 1% growth a day', seed: 102, dayNoise: 0.15, hourNoise: 0.3, growthPerDay: 0.01 },
    { name: 'a shrinking workload, heavy noise and quiet weekends', seed: 103, dayNoise: 0.2, hourNoise: 0.3, growthPerDay: -0.005, weekendFactor: 0.3 },
  ])('nothing is above info with $name', async ({ name: _, ...options }) => {
    const engine = await ledgerWith(scenario({ days: 120, ...options }));
    try {
      const findings: Finding[] = [];
      for (const { job, asOf } of runs) findings.push(...(await runJob(engine, job, asOf)).findings);
      expect(aboveInfo(findings)).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
