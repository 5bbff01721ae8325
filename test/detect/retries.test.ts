import { describe, expect, it } from 'vitest';
import { when, type PlanRow, type Stream } from './support/scenario.js';
import { daysBefore, findingsOf, scenario, streams, theFinding } from './support/workloads.js';

/** A second, smaller feature on review's model. */
const triage: Stream = { ...streams.review, feature: 'triage', perDay: 300 };
const base = [streams.review, triage, streams.search];
const degraded = (row: PlanRow): PlanRow => ({ ...row, failure_rate: 0.75, max_attempts: 5 });
const storm = when('review', 6, degraded, { until: 5, fromHour: 13, toHour: 17 });
const stormOnTriage = when('triage', 6, degraded, { until: 5, fromHour: 13, toHour: 17 });

describe('retry_storm', () => {
  it("finds gpt-4o-mini failing three tries in four on E-6 from 13:00 to 17:00, from its first hour, in the feature with most of the excess", async () => {
    const found = theFinding(await findingsOf(scenario({ streams: base, effects: [storm, stormOnTriage] })), 'retry_storm');
    expect(found).toMatchObject({ subject: 'gpt-4o-mini', feature: 'review', first_seen: `${daysBefore(6)}T13:00:00Z`, last_seen: `${daysBefore(6)}T16:00:00Z`, severity: 'page', status: 'resolved' });
    expect(found.evidence).toMatchObject({ stormy_hours: 4 });
    expect(Number((found.evidence as { attempts_per_request: number }).attempts_per_request)).toBeGreaterThan(2);
    expect(found.summary).toMatch(/^gpt-4o-mini took \d\.\d attempts per request \(usually 1\.0\d\) on \S+ from 13:00 to 17:00 UTC, mostly in review/);
  });

  it("finds a storm confined to a small feature, which the busier feature's calm calls on the same model would hide", async () => {
    const small: Stream = { ...triage, perDay: 150 };
    const found = theFinding(await findingsOf(scenario({ streams: [streams.review, small], effects: [stormOnTriage] }), 'retries'), 'retry_storm');
    expect(found).toMatchObject({ subject: 'gpt-4o-mini', feature: 'triage', first_seen: `${daysBefore(6)}T13:00:00Z` });
    expect(found.summary).toMatch(/^gpt-4o-mini took [2-5]\.\d attempts per request/);
  });

  it('finds a storm in the current day from its hour (anomaly-scan)', async () => {
    const now = when('review', 1, degraded, { fromHour: 9, toHour: 12 });
    const found = theFinding(await findingsOf(scenario({ streams: base, effects: [now] }), 'anomaly-scan'), 'retry_storm');
    expect(found).toMatchObject({ feature: 'review', first_seen: `${daysBefore(1)}T09:00:00Z` });
  });
});

describe('retry_cap_exceeded', () => {
  it("finds the storm's requests past review's cap of 2 attempts, from the storm's first hour", async () => {
    const found = theFinding(await findingsOf(scenario({ streams: base, effects: [storm] }), 'retries'), 'retry_cap_exceeded', 'review');
    expect(found).toMatchObject({ subject: 'gpt-4o-mini', first_seen: `${daysBefore(6)}T13:00:00Z`, severity: 'warn' });
    expect(found.evidence).toMatchObject({ retry_cap: 2, max_attempts: 5 });
    expect(found.summary).toMatch(/^review let \d+ requests run past its retry cap of 2 attempts/);
  });

  it('reports a client that lets requests past the cap now and then as one info finding, not one per hour', async () => {
    const leaky = when('review', 70, (r) => ({ ...r, failure_rate: 0.15, max_attempts: 4 }));
    const found = (await findingsOf(scenario({ streams: base, effects: [leaky] }), 'retries')).filter((f) => f.kind === 'retry_cap_exceeded' && f.feature === 'review');
    expect(found).toEqual([expect.objectContaining({ key: 'retry_cap_exceeded:review:sporadic', severity: 'info', status: 'open' })]);
    expect(found[0]!.summary).toMatch(/^review lets requests run past its retry cap of 2 attempts now and then: \d+ since \S+ \(up to 4 attempts, mostly on gpt-4o-mini\), so the cap is not enforced/);
  });

  it('leaves a feature alone whose cap the storm stays within', async () => {
    const findings = await findingsOf(scenario({ streams: base, effects: [when('review', 6, (r) => ({ ...r, failure_rate: 0.75, max_attempts: 2 }), { until: 5, fromHour: 13, toHour: 17 })] }), 'retries');
    expect(findings.filter((f) => f.kind === 'retry_cap_exceeded')).toEqual([]);
  });
});
