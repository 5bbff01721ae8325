import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runForecast } from '../../functions/jobs/forecast.js';
import { runMonthEnd } from '../../functions/jobs/month-end.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { slacklessDelivery } from '../../functions/slack/delivery-settings.js';
import { useFakeSlack } from '../support/fake-slack.js';
import { testLedger } from '../support/ledger.js';
import { tempFolder } from '../support/tmp.js';
import { slackContext } from '../slack/delivery-support.js';

/** The month-end job: advise first, then the forecast report with its fan chart, delivered once per closed month. */

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Four months of daily calls, a little more each day, up to 2026-10-31. */
function calls(): object[] {
  const records = [];
  const start = Date.parse('2026-07-01T00:00:00Z');
  for (let d = 0; d < 123; d++) {
    const ts = new Date(start + d * 86_400_000 + 10 * 3_600_000).toISOString();
    records.push({ ts, call_id: `c${d}`, feature: 'support_bot', segment: 'pro', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 100, cost_usd: (5 + d * 0.01 + (d % 7) * 0.3).toFixed(2) });
  }
  return records;
}

const slack = useFakeSlack();

describe('the month-end job', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(calls());
    await runRollup(ledger.context('2026-11-01'));
    await runForecast(ledger.context('2026-10-26'));
  });
  afterEach(() => ledger.close());

  const context = (now = '2026-11-01T08:00:00Z') => ({ ...slackContext(ledger.engine, { apiUrl: slack().apiUrl, now }), asOf: '2026-11-01' });

  it('runs advise, posts the report for the closed month, and uploads the fan chart and the dashboard in its thread', async () => {
    const result = await runMonthEnd(context());
    expect(result).toMatchObject({ job: 'month-end', as_of: '2026-11-01', month: '2026-10', findings: [], advise: { job: 'advise', as_of: '2026-11-01' } });
    const [post] = slack().posts;
    const { ts, channel } = post!.answer.body as { ts: string; channel: string };
    expect(post!.form.blocks.length).toBeGreaterThan(1);
    expect(result.messages).toEqual([expect.objectContaining({ key: 'month-end:2026-10', outcome: 'posted', slack_ts: ts })]);
    const [chart, dashboard] = slack().requestsTo('upload');
    expect(chart!.raw.includes(pngSignature)).toBe(true);
    expect(dashboard!.raw.toString('utf8')).toContain('<title>');
    expect(dashboard!.raw.toString('utf8')).toContain('2026-10');
    for (const complete of slack().requestsTo('files.completeUploadExternal')) {
      expect(complete.form).toMatchObject({ channel_id: channel, thread_ts: ts });
    }
  });

  it('posts the report once for the month however often it runs', async () => {
    await runMonthEnd(context());
    const again = await runMonthEnd(context('2026-11-01T08:10:00Z'));
    expect(slack().posts).toHaveLength(1);
    expect(slack().requestsTo('upload')).toHaveLength(2);
    expect(again.messages[0]!.outcome).toBe('already sent');
  });

  it('writes the report, its chart and the dashboard under the out dir without a token', async () => {
    const folder = tempFolder();
    try {
      const result = await runMonthEnd({ ...ledger.context('2026-11-01'), delivery: slacklessDelivery(folder.dir) });
      const [payload, chart, dashboard] = result.messages[0]!.written;
      expect(readdirSync(folder.dir).sort()).toEqual([payload, chart, dashboard].map((p) => p!.slice(folder.dir.length + 1)).sort());
      expect(payload).toBe(join(folder.dir, 'month-end_2026-10.json'));
      expect(JSON.parse(readFileSync(payload!, 'utf8')).files).toEqual([expect.objectContaining({ path: chart }), expect.objectContaining({ path: dashboard })]);
      expect(readFileSync(chart!).subarray(0, 8)).toEqual(pngSignature);
      expect(readFileSync(dashboard!, 'utf8')).toMatch(/^<!doctype html>/i);
      expect(result.messages[0]!.text).toContain('[attached: ');
      expect(slack().requests).toEqual([]);
    } finally {
      folder.remove();
    }
  });
});
