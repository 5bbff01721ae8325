import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectReader } from '../../functions/detect/detector.js';
import { noFallbackModel } from '../../functions/detect/no-fallback.js';
import { parseFinopsConfig } from '../../functions/config/finops-config.js';
import type { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { DetectedFinding } from '../../functions/findings/finding.js';
import { refreshStaleHours } from '../../functions/jobs/stale-days.js';
import type { Effect } from './support/scenario.js';
import { daysBefore, end, ledgerWith, runJob, scenario, streams } from './support/workloads.js';

/**
 * no_fallback_model on the control features over 45 days: `support` has an approved fallback, `review` none,
 * `extract` only its own main model, `search` is not in the config (so it gets the defaults: none); `ghost` is
 * configured without a fallback but made no calls; `old` has none either and stopped calling 35 days ago.
 */

const config = parseFinopsConfig(
  `version: 1
features:
  support: {fallback_models: [claude-3-5-haiku-latest]}
  review: {quality_bar: 0.7}
  extract: {fallback_models: [claude-opus-4-20250514]}
  ghost: {}
  old: {}
`,
  'test',
);
const old = { ...streams.review, feature: 'old' };
const stopped: Effect = (row, at) => (row.feature === 'old' && at.daysBeforeEnd <= 35 ? [] : row);

describe('no_fallback_model', () => {
  let engine: DuckDBEngine;
  let findings: DetectedFinding[];
  beforeAll(async () => {
    engine = await ledgerWith(scenario({ days: 45, streams: [streams.support, streams.review, streams.extract, streams.search, old], effects: [stopped] }));
    const context = { engine, config, asOf: end, now: () => new Date() };
    await refreshStaleHours(context, end, 'test');
    findings = await noFallbackModel.detect({ ...context, reader: new DetectReader(engine, 'test'), job: 'test' });
  });
  afterAll(() => engine.close());

  it('is found for each feature with calls and no approved fallback other than its main model, and only those', () => {
    expect(findings.map((f) => [f.key, f.subject, f.ongoing])).toEqual([
      ['no_fallback_model:extract', 'claude-opus-4-20250514', true],
      ['no_fallback_model:old', 'gpt-4o-mini', false],
      ['no_fallback_model:review', 'gpt-4o-mini', true],
      ['no_fallback_model:search', 'gemini-2.5-flash', true],
    ]);
  });

  it('is info, with no dollar impact, from the first day with calls to the last', () => {
    expect(findings.every((f) => f.severity === 'info' && f.impact_usd_month === null)).toBe(true);
    expect(findings[2]).toMatchObject({ first_seen: `${daysBefore(45)}T00:00:00Z`, last_seen: `${daysBefore(1)}T00:00:00Z` });
    expect(findings[1]).toMatchObject({ first_seen: `${daysBefore(45)}T00:00:00Z`, last_seen: `${daysBefore(36)}T00:00:00Z` });
    expect(Number(findings[2]!.evidence.spend_usd_month)).toBeGreaterThan(0);
  });

  it('says what would stop, and what to do', () => {
    expect(findings[0]!.summary).toMatch(/^extract has no approved fallback model other than its main model: if claude-opus-4-20250514 \(100% of its requests\) is deprecated/);
    expect(findings[2]!.summary).toMatch(/Approve one in fallback_models/);
  });

  it('runs in the detect job', async () => {
    const detect = await runJob(engine, 'detect', end, config);
    expect(detect.findings.filter((f) => f.kind === 'no_fallback_model').map((f) => [f.feature, f.status]).sort()).toEqual([
      ['extract', 'open'],
      ['old', 'resolved'],
      ['review', 'open'],
      ['search', 'open'],
    ]);
  }, 30_000);
});
