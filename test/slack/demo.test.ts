import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFinopsConfig, type FinopsConfig } from '../../functions/config/finops-config.js';
import { writeWorkload } from '../../functions/demo/workload.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Finding } from '../../functions/findings/finding.js';
import { detectorJob } from '../../functions/jobs/detect.js';
import { runForecast } from '../../functions/jobs/forecast.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import type { JobContext } from '../../functions/jobs/context.js';
import { loadFile } from '../../functions/ledger/load.js';
import { packageRoot } from '../../functions/paths.js';
import { buildAnomalyPage } from '../../functions/slack/anomaly-page.js';
import { buildDigest } from '../../functions/slack/digest.js';
import { digestInput } from '../../functions/slack/digest-input.js';
import { buildMonthEnd } from '../../functions/slack/month-end.js';
import { monthEndInput } from '../../functions/slack/month-end-input.js';
import { messageText } from '../../functions/slack/text.js';
import { formatUsd } from '../../functions/money.js';
import { tempFolder } from '../support/tmp.js';
import { limitProblems } from './within-limits.js';

/**
 * The messages of the demo ledger (the workload `npm start` shows: 90 days, four features, seeded problems) on
 * Monday 2026-11-23, after the jobs that feed them: what a person would get in Slack that morning.
 */

const asOf = '2026-11-23';

describe("the messages of the demo's ledger", () => {
  let engine: DuckDBEngine;
  let config: FinopsConfig;
  let context: JobContext;
  let findings: Finding[];
  const folder = tempFolder();

  beforeAll(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
    const files = await writeWorkload(engine, { dir: folder.dir, days: 90, endDate: asOf, seed: 7, scale: 1, format: 'ndjson' });
    await loadFile(engine, 'calls', files.callsFile);
    await loadFile(engine, 'outcomes', files.outcomesFile);
    config = await loadFinopsConfig(join(packageRoot, 'finops.config.example.yaml'));
    context = { engine, config, asOf, now: () => new Date(`${asOf}T09:00:00Z`) };
    await runRollup(context);
    await runForecast(context);
    findings = (await detectorJob('detect')(context)).findings;
  }, 180_000);

  afterAll(async () => {
    await engine.close();
    folder.remove();
  });

  it("give a digest whose total is the week's rolled-up spend, within Slack's limits", async () => {
    const input = await digestInput(context);
    const message = buildDigest(input);
    expect(limitProblems(message)).toEqual([]);
    const [week] = await engine.exec(`select sum(spend_usd) as usd from cost_per_outcome_by_day where day >= '2026-11-16' and day < '2026-11-23'`);
    expect(messageText(message)).toContain(`${formatUsd(String(week!.usd))} spent this week`);
    expect(input.features.map((f) => f.feature)).toEqual(expect.arrayContaining(['support_bot', 'doc_extraction', 'search_summaries', 'code_review', null]));
    expect(input.forecast).toMatchObject({ scope: 'total', target_month: '2026-11-01', run_date: asOf });
    const impacts = input.findings.map((f) => Number(f.finding.impact_usd_month ?? -1));
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
    expect(input.findings.every((f) => f.finding.status === 'open')).toBe(true);
  });

  it('give a page within the limits for every paging finding, and a month-end report with its chart', async () => {
    const pages = findings.filter((f) => f.severity === 'page');
    expect(pages.map((f) => f.kind).sort()).toEqual(['retry_storm', 'spend_anomaly']);
    for (const finding of pages) expect(limitProblems(buildAnomalyPage(finding, config))).toEqual([]);
    const report = await buildMonthEnd(await monthEndInput(context));
    expect(limitProblems(report)).toEqual([]);
    expect(report.files![0]!.content.length).toBeGreaterThan(10_000);
  });
});
