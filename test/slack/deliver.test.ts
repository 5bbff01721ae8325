import { createServer } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { ConfigError, DeliveryError } from '../../functions/errors.js';
import { readDeliveries } from '../../functions/slack/deliveries.js';
import { deliverMessages } from '../../functions/slack/deliver.js';
import { slacklessDelivery } from '../../functions/slack/delivery-settings.js';
import { configFrom } from '../support/ledger.js';
import { useFakeSlack, rateLimited, serverError, slackError } from '../support/fake-slack.js';
import { tempFolder } from '../support/tmp.js';
import { message, outbox, png, slackContext } from './delivery-support.js';

/** Delivery through the real @slack/web-api client against a fake Slack on 127.0.0.1, with a real DuckDB ledger. */

const slack = useFakeSlack();

describe('delivering Slack messages', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  const context = (options: Partial<Parameters<typeof slackContext>[1]> = {}) =>
    slackContext(engine, { apiUrl: slack().apiUrl, ...options });
  const row = async (key: string) => (await readDeliveries(engine, [key]))[0];

  it('posts the text and the blocks with the bot token, and records the post as sent with its ts and channel id', async () => {
    const sent = message();
    const report = await deliverMessages(context(), outbox([sent]));
    const [post] = slack().posts;
    expect(post!.authorization).toBe('Bearer xoxb-test-token');
    expect(post!.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(post!.form).toMatchObject({ channel: '#ai-finops', text: sent.text, unfurl_links: 'false' });
    expect(post!.form.blocks).toEqual(sent.blocks);
    const channelId = slack().channelIds.get('#ai-finops');
    expect(report.messages).toEqual([expect.objectContaining({ key: sent.key, outcome: 'posted', channel: channelId, slack_ts: post!.answer.body && (post!.answer.body as { ts: string }).ts })]);
    expect(await row(sent.key)).toMatchObject({ status: 'sent', channel: channelId, attempts: 1, posts: 1, sent_at: '2026-11-23T09:00:00Z', last_error: null });
  });

  it('posts one digest across two runs of the same job', async () => {
    await deliverMessages(context(), outbox([message()]));
    const second = await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([message({ text: 'rebuilt' })]));
    expect(slack().posts).toHaveLength(1);
    expect(second.messages[0]).toMatchObject({ outcome: 'already sent', error: null });
    expect(await row('digest:2026-11-16')).toMatchObject({ posts: 1, sent_at: '2026-11-23T09:00:00Z' });
  });

  it('waits out a 429 for its Retry-After and delivers the message once', async () => {
    slack().answerNext('chat.postMessage', rateLimited(7));
    const ctx = context();
    const report = await deliverMessages(ctx, outbox([message()]));
    expect(ctx.slept).toEqual([7000]);
    expect(slack().requestsTo('chat.postMessage')).toHaveLength(2);
    expect(slack().posts).toHaveLength(1);
    expect(report.messages[0]!.outcome).toBe('posted');
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'sent', attempts: 2, posts: 1 });
  });

  it('leaves a message pending through a 500 storm, fails the run, and delivers it on the next run', async () => {
    slack().answerNext('chat.postMessage', ...Array.from({ length: 5 }, serverError));
    const stormy = context();
    const failure = await deliverMessages(stormy, outbox([message()])).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as Error).message).toContain('digest:2026-11-16: Slack answered HTTP 500, 5 tries');
    expect(stormy.slept).toEqual([2000, 4000, 8000, 16000]);
    expect(slack().posts).toHaveLength(0);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'pending', attempts: 5, posts: 0, slack_ts: null });

    // the next run of the same job, for another week: it sends what the storm left, then its own message
    const next = await deliverMessages(context({ now: '2026-11-30T09:00:00Z' }), outbox([message({ key: 'digest:2026-11-23', text: 'next week' })], ['digest']));
    expect(slack().posts.map((p) => p.form.text)).toEqual([message().text, 'next week']);
    expect(next.earlier).toEqual([expect.objectContaining({ key: 'digest:2026-11-16', outcome: 'posted' })]);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'sent', attempts: 6, posts: 1, last_error: null });
  });

  it("sends only the pending deliveries of the job's own kinds, so two jobs at the same minute never post one twice", async () => {
    slack().answerNext('chat.postMessage', ...Array.from({ length: 5 }, serverError));
    await deliverMessages(context(), outbox([message()], ['digest'])).catch(() => undefined);

    // the hourly anomaly-scan, the same Monday morning: pages only, the pending digest is the digest's
    const scan = await deliverMessages(context({ now: '2026-11-23T09:00:30Z' }), outbox([message({ key: 'page:k', kind: 'page' })], ['page', 'resolved']));
    expect(scan.earlier).toEqual([]);
    expect(slack().posts.map((p) => p.form.text)).toEqual([message().text]);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'pending', posts: 0 });

    const digest = await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([message()], ['digest']));
    expect(digest.messages[0]).toMatchObject({ key: 'digest:2026-11-16', outcome: 'posted' });
    expect(slack().posts).toHaveLength(2);
  });

  it('stops starting Slack calls at the delivery deadline, leaving the rest pending for the next run', async () => {
    slack().answerNext('chat.postMessage', rateLimited(10));
    const ctx = context({ deadlineMs: 10_000 });
    const failure = await deliverMessages(ctx, outbox([message(), message({ key: 'page:k', kind: 'page' })])).catch((e: unknown) => e);
    expect(ctx.slept).toEqual([10_000]);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as Error).message).toContain("page:k: not tried: the run's Slack delivery deadline had passed (pending: the next run sends it)");
    expect(slack().posts.map((p) => p.form.channel)).toEqual(['#ai-finops']);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'sent' });
    expect(await row('page:k')).toMatchObject({ status: 'pending', attempts: 0 });

    await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([]));
    expect(await row('page:k')).toMatchObject({ status: 'sent', posts: 1 });
  });

  it('does not start a retry wait that would end past the delivery deadline', async () => {
    slack().answerNext('chat.postMessage', ...Array.from({ length: 5 }, serverError));
    const ctx = context({ deadlineMs: 10_000 });
    const failure = await deliverMessages(ctx, outbox([message()])).catch((e: unknown) => e);
    expect(ctx.slept).toEqual([2000, 4000]);
    expect((failure as Error).message).toContain("digest:2026-11-16: Slack answered HTTP 500, 3 tries before the run's Slack delivery deadline");
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'pending', attempts: 3 });
  });

  it('retries a network failure, and keeps the message pending when Slack cannot be reached', async () => {
    const closed = await freePort();
    const ctx = slackContext(engine, { apiUrl: `http://127.0.0.1:${closed}/api/` });
    const failure = await deliverMessages(ctx, outbox([message()])).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/could not reach Slack \(.*ECONNREFUSED.*\): check the network and SLACK_API_URL, 5 tries/);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'pending', attempts: 5 });
  });

  it.each([
    ['not_in_channel', 'the bot is not in #ai-finops (not_in_channel): invite the bot: /invite @ai-finops in #ai-finops'],
    ['channel_not_found', "Slack answered channel_not_found for #ai-finops: check the name (SLACK_CHANNEL, slack.default_channel or the feature's slack_channel); for a private channel, invite the bot: /invite @ai-finops in #ai-finops"],
    ['invalid_auth', 'Slack rejected SLACK_BOT_TOKEN (invalid_auth): set it to the bot token (xoxb-...) of the installed ai-finops app'],
  ])('marks ok:false %s failed with the fix, without retrying it, and later runs skip it', async (code, reason) => {
    slack().answerNext('chat.postMessage', slackError(code));
    const ctx = context();
    const failure = await deliverMessages(ctx, outbox([message()])).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DeliveryError);
    expect((failure as Error).message).toContain(`digest:2026-11-16: ${reason} (failed: later runs skip it; once fixed, re-queue it with --force)`);
    expect(ctx.slept).toEqual([]);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'failed', attempts: 1, last_error: reason });

    const later = await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([message()]));
    expect(later.messages[0]).toMatchObject({ outcome: 'failed', error: reason });
    expect(slack().requestsTo('chat.postMessage')).toHaveLength(1);
  });

  it('re-queues a failed message with --force, rebuilt for the corrected channel', async () => {
    slack().answerNext('chat.postMessage', slackError('channel_not_found'));
    const typo = configFrom('version: 1\nslack:\n  default_channel: "#ai-finopz"\n');
    await deliverMessages(context({ config: typo }), outbox([message()])).catch(() => undefined);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'failed', channel: '#ai-finopz' });

    const forced = await deliverMessages(context({ force: true, now: '2026-11-23T10:00:00Z' }), outbox([message({ text: 'rebuilt' })]));
    expect(forced.messages[0]).toMatchObject({ outcome: 'posted', error: null });
    expect(slack().posts.map((p) => [p.form.channel, p.form.text])).toEqual([['#ai-finops', 'rebuilt']]);
    expect(await row('digest:2026-11-16')).toMatchObject({ status: 'sent', posts: 1, last_error: null });
  });

  it('sends escaped text exactly as built, so a hostile name arrives inert', async () => {
    const text = 'Feature &lt;!channel&gt; &lt;https://evil.example|click&gt; spent $12.00 &amp; more';
    await deliverMessages(context(), outbox([message({ text })]));
    expect(slack().posts[0]!.form.text).toBe(text);
    expect(JSON.stringify(slack().posts[0]!.form.blocks)).not.toMatch(/<!channel>|<https:/);
  });

  it("uploads the chart into the posted message's channel and thread, with its title and alt text", async () => {
    await deliverMessages(context(), outbox([message({ key: 'month-end:2026-10', kind: 'month-end', files: [{ filename: 'fan-chart.png', title: 'Forecast', altText: 'A fan chart', content: png }] })]));
    const [post] = slack().posts;
    const { ts, channel } = post!.answer.body as { ts: string; channel: string };
    expect(slack().requestsTo('files.getUploadURLExternal')[0]!.form).toMatchObject({ filename: 'fan-chart.png', length: String(png.length), alt_text: 'A fan chart' });
    const upload = slack().requestsTo('upload')[0]!;
    expect(upload.raw.includes(Buffer.from(png))).toBe(true);
    expect(slack().requestsTo('files.completeUploadExternal')[0]!.form).toMatchObject({
      channel_id: channel,
      thread_ts: ts,
      files: [{ id: expect.stringMatching(/^F/), title: 'Forecast' }],
    });
    expect(await row('month-end:2026-10')).toMatchObject({ status: 'sent', slack_ts: ts, attempts: 2 });
  });

  const chart = () => message({ key: 'month-end:2026-10', kind: 'month-end', files: [{ filename: 'fan-chart.png', title: 'Forecast', altText: 'A fan chart', content: png }] });

  it('does not post again when only the upload failed: the next run uploads the file to the first post', async () => {
    slack().answerNext('files.getUploadURLExternal', ...Array.from({ length: 5 }, serverError));
    await expect(deliverMessages(context(), outbox([chart()]))).rejects.toThrow(/month-end:2026-10: Slack answered HTTP 500, 5 tries/);
    const posted = await row('month-end:2026-10');
    expect(posted).toMatchObject({ status: 'pending', posts: 1, slack_ts: expect.any(String) });

    await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([chart()]));
    expect(slack().posts).toHaveLength(1);
    expect(slack().requestsTo('files.completeUploadExternal')[0]!.form.thread_ts).toBe(posted!.slack_ts);
    expect(await row('month-end:2026-10')).toMatchObject({ status: 'sent', posts: 1, slack_ts: posted!.slack_ts });
  });

  it('marks a refused upload failed, and with --force uploads it to the first post rather than posting again', async () => {
    slack().answerNext('files.getUploadURLExternal', slackError('missing_scope'));
    await expect(deliverMessages(context(), outbox([chart()]))).rejects.toThrow(/missing_scope.*add chat:write and files:write/);
    const posted = await row('month-end:2026-10');
    expect(posted).toMatchObject({ status: 'failed', posts: 1, slack_ts: expect.any(String) });

    await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([chart()]));
    expect(slack().requestsTo('files.getUploadURLExternal')).toHaveLength(1);

    await deliverMessages(context({ force: true, now: '2026-11-23T11:00:00Z' }), outbox([chart()]));
    expect(slack().posts).toHaveLength(1);
    expect(slack().requestsTo('files.completeUploadExternal')[0]!.form.thread_ts).toBe(posted!.slack_ts);
    expect(await row('month-end:2026-10')).toMatchObject({ status: 'sent', posts: 1, slack_ts: posted!.slack_ts });
  });

  it('posts again with --force, as a new post, and records it', async () => {
    await deliverMessages(context(), outbox([message()]));
    const forced = await deliverMessages(context({ force: true, now: '2026-11-23T11:00:00Z' }), outbox([message()]));
    expect(slack().posts).toHaveLength(2);
    const secondTs = (slack().posts[1]!.answer.body as { ts: string }).ts;
    expect(forced.messages[0]).toMatchObject({ outcome: 'posted', slack_ts: secondTs });
    expect(await row('digest:2026-11-16')).toMatchObject({ posts: 2, slack_ts: secondTs, sent_at: '2026-11-23T11:00:00Z' });
  });

  it("posts a reply in the thread of the delivery it answers, in that post's channel", async () => {
    const config = configFrom('version: 1\nslack:\n  default_channel: "#ai-finops"\nfeatures:\n  support_bot:\n    slack_channel: "#support"\n');
    await deliverMessages(context({ config }), outbox([message({ key: 'page:k', kind: 'page', channel: '#support' })]));
    await deliverMessages(context({ config, now: '2026-11-23T12:00:00Z' }), outbox([message({ key: 'resolved:k', kind: 'resolved', threadOf: 'page:k', text: 'Resolved.' })]));
    const [page, reply] = slack().posts;
    const { ts, channel } = page!.answer.body as { ts: string; channel: string };
    expect(channel).toBe(slack().channelIds.get('#support'));
    expect(reply!.form).toMatchObject({ channel, thread_ts: ts, text: 'Resolved.' });
  });

  it('keeps a reply pending while the message it answers has not gone out', async () => {
    slack().answerNext('chat.postMessage', ...Array.from({ length: 5 }, serverError));
    const failure = await deliverMessages(context(), outbox([
      message({ key: 'page:k', kind: 'page' }),
      message({ key: 'resolved:k', kind: 'resolved', threadOf: 'page:k' }),
    ])).catch((e: unknown) => e);
    expect((failure as Error).message).toContain('resolved:k: it replies in the thread of page:k, which has not been posted yet (pending: the next run sends it)');
    expect(slack().requestsTo('chat.postMessage')).toHaveLength(5);
    expect(await row('resolved:k')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('marks a reply failed, not pending forever, when Slack refused the message it answers', async () => {
    slack().answerNext('chat.postMessage', slackError('channel_not_found'));
    const failure = await deliverMessages(context(), outbox([
      message({ key: 'page:k', kind: 'page' }),
      message({ key: 'resolved:k', kind: 'resolved', threadOf: 'page:k' }),
    ])).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/resolved:k: it replies in the thread of page:k, which Slack refused \(Slack answered channel_not_found.*\) \(failed: /);
    expect(await row('resolved:k')).toMatchObject({ status: 'failed', attempts: 0 });
    await deliverMessages(context({ now: '2026-11-23T10:00:00Z' }), outbox([]));
    expect(slack().requestsTo('chat.postMessage')).toHaveLength(1);
  });

  it('fails with the settings to set when no channel is configured at all', async () => {
    const failure = await deliverMessages(context({ config: configFrom('version: 1\n') }), outbox([message()])).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/no Slack channel for digest:2026-11-16: set SLACK_CHANNEL, or slack.default_channel in the config/);
  });

  it('prefers SLACK_CHANNEL to the config default, and a message channel to both', async () => {
    await deliverMessages(context({ env: { SLACK_CHANNEL: '#from-env' } }), outbox([message(), message({ key: 'page:k', kind: 'page', channel: '#support' })]));
    expect(slack().posts.map((p) => p.form.channel)).toEqual(['#from-env', '#support']);
  });

  it('writes payloads and files under the out dir without a token, and posts and records nothing', async () => {
    const folder = tempFolder();
    try {
      const ctx = { ...context(), delivery: slacklessDelivery(join(folder.dir, 'out')) };
      const report = await deliverMessages(ctx, outbox([message({ key: 'month-end:2026-10', kind: 'month-end', files: [{ filename: 'fan-chart.png', title: 'Forecast', altText: 'A fan chart', content: png }] })]));
      const [payloadPath, chartPath] = report.messages[0]!.written;
      expect(payloadPath).toBe(join(folder.dir, 'out', 'month-end_2026-10.json'));
      const payload = JSON.parse(readFileSync(payloadPath!, 'utf8'));
      expect(payload).toMatchObject({ key: 'month-end:2026-10', channel: '#ai-finops', text: message().text, blocks: message().blocks, files: [{ filename: 'fan-chart.png', path: chartPath }] });
      expect(new Uint8Array(readFileSync(chartPath!))).toEqual(png);
      expect(report.messages[0]!.outcome).toBe('written');
      expect(slack().requests).toEqual([]);
      expect(await engine.exec('select count(*) as n from deliveries')).toEqual([{ n: 0 }]);
    } finally {
      folder.remove();
    }
  });

  it('keeps a hostile key from writing outside the out dir', async () => {
    const folder = tempFolder();
    try {
      const ctx = { ...context(), delivery: slacklessDelivery(folder.dir) };
      const report = await deliverMessages(ctx, outbox([message({ key: 'page:spend_anomaly:../../etc/x:2026-11-23', kind: 'page' })]));
      const [path] = report.messages[0]!.written;
      expect(path!.startsWith(folder.dir + '/page_spend_anomaly_.._.._etc_x_2026-11-23-')).toBe(true);
      expect(existsSync(path!)).toBe(true);
    } finally {
      folder.remove();
    }
  });
});

/** A port nothing listens on: taken from the OS, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
