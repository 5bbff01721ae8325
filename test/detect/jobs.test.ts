import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { findingKinds } from '../../functions/findings/finding.js';
import { renderDetect } from '../../functions/jobs/detect-text.js';
import { allJobs, jobs } from '../../functions/jobs/registry.js';
import { when } from './support/scenario.js';
import { daysBefore, end, ledgerWith, runJob, scenario, streams } from './support/workloads.js';

const spike = when('support', 1, (r) => ({ ...r, requests: r.requests * 80 }), { fromHour: 10, toHour: 14 });
/** A surge still going at the window's end. */
const surge = when('search', 2, (r) => ({ ...r, requests: r.requests * 40 }), { fromHour: 0, toHour: 24 });
const storm = when('review', 6, (r) => ({ ...r, failure_rate: 0.75, max_attempts: 5 }), { until: 5, fromHour: 13, toHour: 17 });

describe('the detector jobs', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => (engine = await ledgerWith(scenario({ streams: [streams.support, streams.review, streams.search], effects: [spike, storm, surge] }))));
  afterEach(() => engine.close());

  it('are registered under their contract names, and `run all` includes detect', () => {
    for (const name of ['detect', 'drift', 'retries', 'anomalies', 'anomaly-scan']) expect(jobs[name]).toBeDefined();
    expect(allJobs).toContain('detect');
  });

  it("print one JSON object: the job, its as-of day and its findings with the contract's fields, money as decimal strings", async () => {
    const json = JSON.parse(JSON.stringify(await runJob(engine, 'detect')));
    expect(json).toMatchObject({ job: 'detect', as_of: end });
    expect(json.findings.length).toBeGreaterThan(0);
    for (const finding of json.findings) {
      expect(Object.keys(finding)).toEqual(expect.arrayContaining(['kind', 'severity', 'feature', 'subject', 'first_seen', 'last_seen', 'impact_usd_month', 'summary', 'evidence', 'key', 'status']));
      expect(findingKinds).toContain(finding.kind);
      expect(['info', 'warn', 'page']).toContain(finding.severity);
      // money as a decimal string; null for the kinds that cannot be put in dollars
      if (!['data_gap', 'no_fallback_model', 'pii_in_logs'].includes(finding.kind)) expect(finding.impact_usd_month).not.toBeNull();
      if (finding.impact_usd_month !== null) expect(finding.impact_usd_month).toMatch(/^\d+\.\d{9}$/);
      expect(finding.first_seen).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
      expect(typeof finding.evidence).toBe('object');
    }
  });

  it('leave identical tables when run twice', async () => {
    const table = () => engine.exec('select * from findings order by key');
    await runJob(engine, 'detect');
    const first = await table();
    await runJob(engine, 'detect', end, undefined, new Date('2026-07-02T12:00:00Z'));
    expect(await table()).toEqual(first);
  });

  it('store an ongoing problem open and one that ended inside the window resolved', async () => {
    const findings = (await runJob(engine, 'detect')).findings;
    expect(findings.find((f) => f.kind === 'spend_anomaly' && f.feature === 'search')).toMatchObject({ status: 'open', first_seen: `${daysBefore(2)}T00:00:00Z` });
    expect(findings.find((f) => f.kind === 'spend_anomaly' && f.feature === 'support')).toMatchObject({ status: 'resolved', first_seen: `${daysBefore(1)}T10:00:00Z` });
    expect(findings.find((f) => f.kind === 'retry_storm')).toMatchObject({ status: 'resolved' });
  });

  it('resolve a finding a later run no longer sees, and only for the kinds they look for', async () => {
    await runJob(engine, 'detect');
    await runJob(engine, 'retries', daysBefore(-40));
    const status = async () => (await engine.exec(`select status from findings where kind = 'spend_anomaly' and feature = 'search'`))[0]?.status;
    expect(await status()).toBe('open');
    await runJob(engine, 'anomalies', daysBefore(-40));
    expect(await status()).toBe('resolved');
  });

  it('render a table a person reads: ranked, severity marked, one line each with the dollars', async () => {
    const text = renderDetect(await runJob(engine, 'detect'));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Findings of detect as of 2026-06-01 \(lookback 35 to 120 days\): \d page/);
    expect(text).toMatch(/!! page +\$[\d,.]+ +spend_anomaly +support +\d{4}-\d{2}-\d{2} 10:00 +resolved +support spent/);
    expect(text).toMatch(/ ! warn +\$[\d,.]+ +retry_cap_exceeded +review/);
  });
});
