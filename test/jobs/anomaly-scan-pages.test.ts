import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FinopsConfig } from '../../functions/config/finops-config.js';
import type { DetectedFinding } from '../../functions/findings/finding.js';
import { ackFinding, recordFindings } from '../../functions/findings/store.js';
import { runAnomalyScan } from '../../functions/jobs/detect.js';
import { slacklessDelivery } from '../../functions/slack/delivery-settings.js';
import { slackError, useFakeSlack } from '../support/fake-slack.js';
import { configFrom, testLedger } from '../support/ledger.js';
import { tempFolder } from '../support/tmp.js';
import { slackContext } from '../slack/delivery-support.js';

/**
 * Paging in the hourly anomaly-scan: a page per open `page` finding, once; a reply in its thread when it resolves.
 * The findings are stored as the detectors would store them; the scan itself finds nothing on the empty ledger.
 */

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const config = configFrom('version: 1\nslack:\n  default_channel: "#ai-finops"\nfeatures:\n  support_bot:\n    slack_channel: "#support-oncall"\n    owner: "@dana"\n');

function anomaly(o: Partial<DetectedFinding> = {}): DetectedFinding {
  return {
    key: 'spend_anomaly:support_bot:2026-11-23',
    kind: 'spend_anomaly',
    severity: 'page',
    feature: 'support_bot',
    subject: 'segment=enterprise',
    first_seen: '2026-11-23T09:00:00Z',
    last_seen: '2026-11-23T11:00:00Z',
    impact_usd_month: '2400.000000000',
    summary: 'support_bot spent $120.00 on 2026-11-23 from 09:00 to 12:00 UTC against $12.00 expected for those hours (10.0x).',
    evidence: {
      grain: 'hour', days: ['2026-11-23'], spend_usd: '120.000000000', expected_usd: '12.000000000', excess_usd: '108.000000000', ratio: 10, robust_z: 9.1,
      root_cause: { dimension: 'segment', value: 'enterprise', excess_usd: '100.000000000', share: 0.93, usual_share: 0.2 },
      top_contributors: [],
    },
    ongoing: true,
    ...o,
  };
}

const record = (ledger: Ledger, seen: DetectedFinding[], now: string, resolves: DetectedFinding['kind'][] = []) =>
  recordFindings(ledger.engine, { asOf: now.slice(0, 10), now: new Date(now), seen, resolves });

const slack = useFakeSlack();

describe('paging from the anomaly-scan', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
  });
  afterEach(() => ledger.close());

  const scan = (now: string, options: { config?: FinopsConfig; force?: boolean } = {}) =>
    runAnomalyScan(slackContext(ledger.engine, { apiUrl: slack().apiUrl, config, now, ...options }));
  const episode = (onset: string) => `spend_anomaly:support_bot:2026-11-23:${onset}`;

  it("pages an open page finding once, in its feature's channel, however often the scan runs", async () => {
    await record(ledger, [anomaly()], '2026-11-23T12:00:00Z');
    const first = await scan('2026-11-23T12:05:00Z');
    await scan('2026-11-23T13:05:00Z');
    expect(slack().posts).toHaveLength(1);
    expect(slack().posts[0]!.form.channel).toBe('#support-oncall');
    expect(slack().posts[0]!.form.text).toContain('support_bot');
    expect(first.pages.messages).toEqual([expect.objectContaining({ key: `page:${episode('2026-11-23T09:00:00Z')}`, kind: 'page', outcome: 'posted' })]);
  });

  it('replies in the thread of the page when the finding resolves, once', async () => {
    await record(ledger, [anomaly()], '2026-11-23T12:00:00Z');
    await scan('2026-11-23T12:05:00Z');
    await record(ledger, [], '2026-11-24T03:00:00Z', ['spend_anomaly']); // the daily detect no longer sees it
    const after = await scan('2026-11-24T04:05:00Z');
    await scan('2026-11-24T05:05:00Z');
    const [page, reply] = slack().posts;
    const { ts, channel } = page!.answer.body as { ts: string; channel: string };
    expect(slack().posts).toHaveLength(2);
    expect(reply!.form).toMatchObject({ channel, thread_ts: ts });
    expect(reply!.form.text).toMatch(/^Resolved/);
    expect(after.pages.messages).toEqual([expect.objectContaining({ key: `resolved:${episode('2026-11-23T09:00:00Z')}`, outcome: 'posted' })]);
  });

  it('pages a finding again when it reopens under the same key, and resolves each episode in its own thread', async () => {
    const pii = (o: Partial<DetectedFinding>) => anomaly({ key: 'pii_in_logs:llm_calls:prompt:email', kind: 'pii_in_logs', evidence: {}, ...o });
    await record(ledger, [pii({ first_seen: '2026-11-20T00:00:00Z', last_seen: '2026-11-20T00:00:00Z' })], '2026-11-21T03:00:00Z', ['pii_in_logs']);
    await scan('2026-11-21T04:05:00Z');
    await record(ledger, [], '2026-11-22T03:00:00Z', ['pii_in_logs']);
    await scan('2026-11-22T04:05:00Z');
    await record(ledger, [pii({ first_seen: '2026-11-24T00:00:00Z', last_seen: '2026-11-24T00:00:00Z' })], '2026-11-25T03:00:00Z', ['pii_in_logs']);
    const reopened = await scan('2026-11-25T04:05:00Z');
    await record(ledger, [], '2026-11-26T03:00:00Z', ['pii_in_logs']);
    await scan('2026-11-26T04:05:00Z');
    await scan('2026-11-26T05:05:00Z');

    expect(reopened.pages.messages).toEqual([expect.objectContaining({ key: 'page:pii_in_logs:llm_calls:prompt:email:2026-11-24T00:00:00Z', outcome: 'posted' })]);
    const [page1, reply1, page2, reply2] = slack().posts;
    expect(slack().posts).toHaveLength(4);
    const tsOf = (post: typeof page1) => (post!.answer.body as { ts: string }).ts;
    expect([page1!.form.thread_ts, page2!.form.thread_ts]).toEqual([undefined, undefined]);
    expect(reply1!.form.thread_ts).toBe(tsOf(page1));
    expect(reply2!.form.thread_ts).toBe(tsOf(page2));
  });

  it('does not page again when a later run finds an earlier onset of the same episode', async () => {
    await record(ledger, [anomaly({ first_seen: '2026-11-23T10:00:00Z' })], '2026-11-23T11:00:00Z');
    await scan('2026-11-23T11:05:00Z');
    await record(ledger, [anomaly({ first_seen: '2026-11-23T09:00:00Z' })], '2026-11-23T12:00:00Z');
    const later = await scan('2026-11-23T12:05:00Z');
    expect(later.pages.messages).toEqual([]);
    expect(slack().posts).toHaveLength(1);
  });

  it('fails the scan once for a page Slack refuses, skips it after, and --force pages it to the corrected channel', async () => {
    await record(ledger, [anomaly()], '2026-11-23T12:00:00Z');
    slack().answerNext('chat.postMessage', slackError('channel_not_found'));
    await expect(scan('2026-11-23T12:05:00Z')).rejects.toThrow(/channel_not_found for #support-oncall.*re-queue it with --force/s);
    const skipped = await scan('2026-11-23T13:05:00Z');
    expect(skipped.pages.messages).toEqual([]);
    expect(slack().requestsTo('chat.postMessage')).toHaveLength(1);

    const fixed = configFrom('version: 1\nslack:\n  default_channel: "#ai-finops"\nfeatures:\n  support_bot:\n    slack_channel: "#support-pager"\n');
    const forced = await scan('2026-11-23T14:05:00Z', { config: fixed, force: true });
    expect(forced.pages.messages).toEqual([expect.objectContaining({ key: `page:${episode('2026-11-23T09:00:00Z')}`, outcome: 'posted' })]);
    expect(slack().posts.map((p) => p.form.channel)).toEqual(['#support-pager']);
  });

  it('re-queues a resolved reply Slack refused only with --force', async () => {
    await record(ledger, [anomaly()], '2026-11-23T12:00:00Z');
    await scan('2026-11-23T12:05:00Z');
    await record(ledger, [], '2026-11-24T03:00:00Z', ['spend_anomaly']);
    slack().answerNext('chat.postMessage', slackError('is_archived'));
    await expect(scan('2026-11-24T04:05:00Z')).rejects.toThrow(/resolved:.*is archived/);
    expect((await scan('2026-11-24T05:05:00Z')).pages.messages).toEqual([]);

    const forced = await scan('2026-11-24T06:05:00Z', { force: true });
    expect(forced.pages.messages).toEqual([expect.objectContaining({ key: `resolved:${episode('2026-11-23T09:00:00Z')}`, outcome: 'posted' })]);
    expect(slack().posts).toHaveLength(2);
  });

  it('does not page acked findings, warnings, or findings already over when first seen', async () => {
    await record(ledger, [
      anomaly(),
      anomaly({ key: 'retry_storm:support_bot:x:2026-11-23', kind: 'retry_storm', severity: 'warn' }),
      anomaly({ key: 'spend_anomaly:support_bot:2026-11-20', ongoing: false }),
    ], '2026-11-23T12:00:00Z');
    await ackFinding(ledger.engine, 'spend_anomaly:support_bot:2026-11-23', null, { asOf: '2026-11-23', now: new Date('2026-11-23T12:01:00Z') });
    const result = await scan('2026-11-23T12:05:00Z');
    expect(result.pages.messages).toEqual([]);
    expect(slack().requests).toEqual([]);
  });

  it('gives no resolved reply for a finding that was never paged', async () => {
    await record(ledger, [anomaly({ ongoing: false })], '2026-11-23T12:00:00Z');
    await scan('2026-11-23T12:05:00Z');
    expect(slack().requests).toEqual([]);
    expect(await ledger.engine.exec('select key from deliveries')).toEqual([]);
  });

  it('writes the page under the out dir without a token', async () => {
    const folder = tempFolder();
    try {
      await record(ledger, [anomaly()], '2026-11-23T12:00:00Z');
      const result = await runAnomalyScan({ ...ledger.context('2026-11-23', config), delivery: slacklessDelivery(folder.dir) });
      expect(readdirSync(folder.dir)).toEqual(['page_spend_anomaly_support_bot_2026-11-23_2026-11-23T09_00_00Z.json']);
      expect(result.pages.messages[0]).toMatchObject({ outcome: 'written', text: expect.stringContaining('support_bot') });
      expect(slack().requests).toEqual([]);
    } finally {
      folder.remove();
    }
  });
});
