import { describe, expect, it } from 'vitest';
import { when, type Effect, type PlanRow, type Stream } from './support/scenario.js';
import { daysBefore, findingsOf, hoursApart, scenario, streams, theFinding } from './support/workloads.js';

/** support's enterprise customer cus_0007, a small part of its usual spend. */
const enterprise: Stream = { ...streams.support, segment: 'enterprise', customer: 'cus_0007', perDay: 200 };
const base = [streams.support, enterprise, streams.search];
const times = (n: number) => (row: PlanRow): PlanRow => ({ ...row, requests: Math.round(row.requests * n) });
const only = (segment: string, effect: Effect): Effect => (row, at) => (row.segment === segment ? effect(row, at) : row);

describe('spend_anomaly, daily', () => {
  it.each([
    {
      name: "a runaway loop: twenty times support's traffic for three hours on E-5 from 10:00",
      effect: when('support', 5, times(20), { until: 4, fromHour: 10, toHour: 13 }),
      onset: `${daysBefore(5)}T10:00:00Z`,
      within: 1,
    },
    {
      name: 'a lasting surge: support at three times its traffic from E-12',
      effect: when('support', 12, times(3)),
      onset: `${daysBefore(12)}T00:00:00Z`,
      within: 24,
    },
  ])('finds $name, on support, from its start', async ({ effect, onset, within }) => {
    const anomaly = theFinding(await findingsOf(scenario({ streams: base, effects: [effect] })), 'spend_anomaly', 'support');
    expect(hoursApart(anomaly.first_seen, onset)).toBeLessThanOrEqual(within);
    expect(anomaly.first_seen.slice(0, 10)).toBe(onset.slice(0, 10));
    expect(Number(anomaly.impact_usd_month)).toBeGreaterThan(25);
  });

  it('names the slice that carries the excess: the segment, and the customer in the summary', async () => {
    const loop = only('enterprise', when('support', 5, times(500), { until: 4, fromHour: 9, toHour: 12 }));
    const anomaly = theFinding(await findingsOf(scenario({ streams: base, effects: [loop] })), 'spend_anomaly', 'support');
    expect(anomaly.subject).toBe('segment=enterprise');
    expect(anomaly.summary).toMatch(/came from segment enterprise, mostly customer cus_0007/);
    expect(anomaly.severity).toBe('page');
    expect(anomaly.status).toBe('resolved');
  });

  it('finds a small feature tripling for a day, but only as info: its excess is under the $25-a-day floor', async () => {
    const found = theFinding(await findingsOf(scenario({ streams: base, effects: [when('search', 5, times(3), { until: 4 })] })), 'spend_anomaly', 'search');
    expect(found).toMatchObject({ severity: 'info', first_seen: `${daysBefore(5)}T00:00:00Z` });
  });
});

describe('spend_anomaly, hourly (anomaly-scan)', () => {
  it("finds a spike in the current day's hours, from its hour", async () => {
    const spike = when('support', 1, times(20), { fromHour: 14, toHour: 17 });
    const anomaly = theFinding(await findingsOf(scenario({ streams: base, effects: [spike] }), 'anomaly-scan'), 'spend_anomaly', 'support');
    expect(anomaly.first_seen).toBe(`${daysBefore(1)}T14:00:00Z`);
    expect(anomaly.summary).toMatch(/from 14:00 to 17:00 UTC/);
  });

  it('and the daily job the next morning updates the same finding', async () => {
    const { ledgerWith, runJob } = await import('./support/workloads.js');
    const engine = await ledgerWith(scenario({ streams: base, effects: [when('support', 1, times(20), { fromHour: 14, toHour: 17 })] }));
    try {
      const hourly = theFinding((await runJob(engine, 'anomaly-scan')).findings, 'spend_anomaly');
      const daily = theFinding((await runJob(engine, 'anomalies')).findings, 'spend_anomaly');
      expect(daily.key).toBe(hourly.key);
      expect(daily.detected_at).toBe(hourly.detected_at);
      expect(await engine.exec(`select count(*) as n from findings where kind = 'spend_anomaly'`)).toEqual([{ n: 1 }]);
    } finally {
      await engine.close();
    }
  });
});
