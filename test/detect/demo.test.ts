import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFinopsConfig } from '../../functions/config/finops-config.js';
import { writeWorkload } from '../../functions/demo/workload.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Finding } from '../../functions/findings/finding.js';
import { detectorJob, runAnomalyScan } from '../../functions/jobs/detect.js';
import { loadFile } from '../../functions/ledger/load.js';
import { packageRoot } from '../../functions/paths.js';
import { tempFolder } from '../support/tmp.js';
import { aboveInfo } from './support/workloads.js';

/**
 * The demo's seeded problems (sql/duckdb/demo_calls.sql gives each and its day, E-n before the end date E), found
 * by `detect` run on the morning of E with the example config the demo uses: the right kind, feature and start.
 */

const end = '2026-03-01';
const E = (n: number, time = '00:00') => {
  const day = new Date(Date.parse(end + 'T00:00:00Z') - n * 86_400_000).toISOString().slice(0, 10);
  return `${day}T${time}:00Z`;
};

describe("the demo workload's seeded problems", () => {
  let engine: DuckDBEngine;
  let findings: Finding[];
  const folder = tempFolder();

  beforeAll(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
    const files = await writeWorkload(engine, { dir: folder.dir, days: 90, endDate: end, seed: 7, scale: 1, format: 'ndjson' });
    await loadFile(engine, 'calls', files.callsFile);
    await loadFile(engine, 'outcomes', files.outcomesFile);
    const config = await loadFinopsConfig(join(packageRoot, 'finops.config.example.yaml'));
    findings = (await detectorJob('detect')({ engine, config, asOf: end, now: () => new Date('2026-03-01T03:00:00Z') })).findings;
  }, 180_000);

  afterAll(async () => {
    await engine.close();
    folder.remove();
  });

  it.each([
    { kind: 'prompt_drift', feature: 'search_summaries', subject: 'summarize@v3', first_seen: E(59), within: 24 },
    { kind: 'cache_regression', feature: 'search_summaries', first_seen: E(10), within: 0 },
    { kind: 'model_switch_without_eval', feature: 'code_review', subject: 'gpt-4o-mini', first_seen: E(30), within: 0 },
    { kind: 'retry_storm', feature: 'code_review', subject: 'gpt-4o-mini', first_seen: E(8, '13:00'), within: 0 },
    { kind: 'retry_cap_exceeded', feature: 'code_review', subject: 'gpt-4o-mini', first_seen: E(8, '13:00'), within: 0 },
    { kind: 'spend_anomaly', feature: 'support_bot', first_seen: E(3, '09:00'), within: 0 },
    { kind: 'premium_model_default', feature: 'doc_extraction', subject: 'claude-opus-4-20250514', first_seen: E(90), within: 0 },
    { kind: 'unattributed_spend', feature: null, first_seen: E(90), within: 0 },
    { kind: 'unpriced_spend', feature: 'search_summaries', subject: 'acme-llm-9000', first_seen: E(90), within: 0 },
  ])('finds $kind on $feature from $first_seen', ({ kind, feature, subject, first_seen, within }) => {
    const found = findings.find((f) => f.kind === kind && f.feature === feature);
    expect(found, `${kind} on ${feature} among:\n${findings.map((f) => `${f.kind} ${f.feature} ${f.first_seen}`).join('\n')}`).toBeDefined();
    if (subject) expect(found!.subject).toBe(subject);
    expect(Math.abs(Date.parse(found!.first_seen) - Date.parse(first_seen)) / 3_600_000).toBeLessThanOrEqual(within);
  });

  it('pages on the runaway loop, and on nothing that is not seeded', () => {
    const seeded = new Set(['spend_anomaly', 'retry_storm', 'retry_cap_exceeded', 'prompt_drift', 'cache_regression', 'model_switch_without_eval', 'premium_model_default']);
    expect(aboveInfo(findings.filter((f) => !seeded.has(f.kind)))).toEqual([]);
    expect(findings.find((f) => f.kind === 'spend_anomaly')).toMatchObject({ severity: 'page', subject: 'segment=enterprise' });
    expect(findings.find((f) => f.kind === 'spend_anomaly')!.summary).toMatch(/mostly customer cus_0007/);
  });

  it('finds the loop from its hour in the hourly scan of its day', async () => {
    const config = await loadFinopsConfig(join(packageRoot, 'finops.config.example.yaml'));
    const scan = await runAnomalyScan({ engine, config, asOf: E(2).slice(0, 10), now: () => new Date('2026-03-01T03:00:00Z') });
    expect(scan.findings).toEqual([expect.objectContaining({ kind: 'spend_anomaly', feature: 'support_bot', first_seen: E(3, '09:00'), severity: 'page' })]);
  });
});
