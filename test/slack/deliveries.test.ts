import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import { pendingDeliveries, queueDeliveries, readDeliveries, readPages, saveDelivery } from '../../functions/slack/deliveries.js';
import { decodePayload } from '../../functions/slack/payload.js';
import { useFakeBigQuery } from '../support/fake-bigquery.js';
import { message, png } from './delivery-support.js';

const allKinds = ['digest', 'month-end', 'page', 'resolved'] as const;

/** The delivery ledger: one row per message key, so nothing posts twice and nothing pending is lost. */

const at = (time: string) => ({ now: new Date(`2026-11-23T${time}Z`), force: false });

describe('the delivery ledger', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  const table = () => engine.exec('select * from deliveries order by key');

  it('queues a new message as pending, with its payload as built, files included', async () => {
    const chart = message({ files: [{ filename: 'fan-chart.png', title: 'Forecast', altText: 'A fan chart', content: png }] });
    const [queued] = await queueDeliveries(engine, [{ message: chart, channel: '#ai-finops' }], at('09:00:00'));
    expect(queued).toMatchObject({ key: 'digest:2026-11-16', kind: 'digest', channel: '#ai-finops', status: 'pending', attempts: 0, posts: 0, slack_ts: null, created_at: '2026-11-23T09:00:00Z' });
    expect(decodePayload(queued!.payload)).toEqual(chart);
    expect(await pendingDeliveries(engine, allKinds)).toEqual([queued]);
  });

  it('leaves identical tables when the same messages are queued twice', async () => {
    const outgoing = [{ message: message(), channel: '#ai-finops' }, { message: message({ key: 'resolved:k', kind: 'resolved', threadOf: 'page:k' }), channel: '#ai-finops' }];
    await queueDeliveries(engine, outgoing, at('09:00:00'));
    const first = await table();
    await queueDeliveries(engine, outgoing, at('10:00:00'));
    expect(await table()).toEqual(first);
    expect(first.map((r) => r.thread_key)).toEqual([null, 'page:k']);
  });

  it('refreshes a pending message not yet posted with the latest build', async () => {
    await queueDeliveries(engine, [{ message: message(), channel: '#ai-finops' }], at('09:00:00'));
    const [again] = await queueDeliveries(engine, [{ message: message({ text: 'rebuilt' }), channel: '#costs' }], at('10:00:00'));
    expect(again).toMatchObject({ channel: '#costs', created_at: '2026-11-23T09:00:00Z', updated_at: '2026-11-23T10:00:00Z' });
    expect(decodePayload((await readDeliveries(engine, ['digest:2026-11-16']))[0]!.payload).text).toBe('rebuilt');
  });

  it('keeps a sent message as sent, and makes it pending again with force', async () => {
    const [queued] = await queueDeliveries(engine, [{ message: message(), channel: '#ai-finops' }], at('09:00:00'));
    const sent = { ...queued!, status: 'sent' as const, slack_ts: '1700000000.000001', channel: 'C00000001', attempts: 1, posts: 1, sent_at: '2026-11-23T09:00:01Z' };
    await saveDelivery(engine, sent);

    const [kept] = await queueDeliveries(engine, [{ message: message({ text: 'rebuilt' }), channel: '#ai-finops' }], at('10:00:00'));
    expect(kept).toEqual(sent);
    expect(await pendingDeliveries(engine, allKinds)).toEqual([]);

    const [forced] = await queueDeliveries(engine, [{ message: message({ text: 'rebuilt' }), channel: '#ai-finops' }], { ...at('11:00:00'), force: true });
    expect(forced).toMatchObject({ status: 'pending', slack_ts: null, posts: 1, attempts: 1, channel: '#ai-finops', created_at: '2026-11-23T09:00:00Z' });
    expect(await pendingDeliveries(engine, allKinds)).toHaveLength(1);
  });

  it('keeps a failed message failed and out of the pending list, until force re-queues it', async () => {
    const [queued] = await queueDeliveries(engine, [{ message: message(), channel: '#typo' }], at('09:00:00'));
    const failed = { ...queued!, status: 'failed' as const, attempts: 1, last_error: 'Slack answered channel_not_found for #typo' };
    await saveDelivery(engine, failed);

    const [kept] = await queueDeliveries(engine, [{ message: message({ text: 'rebuilt' }), channel: '#ai-finops' }], at('10:00:00'));
    expect(kept).toEqual(failed);
    expect(await pendingDeliveries(engine, allKinds)).toEqual([]);

    const [requeued] = await queueDeliveries(engine, [{ message: message({ text: 'rebuilt' }), channel: '#ai-finops' }], { ...at('11:00:00'), force: true });
    expect(requeued).toMatchObject({ status: 'pending', channel: '#ai-finops', slack_ts: null, attempts: 1 });
    expect(decodePayload(requeued!.payload).text).toBe('rebuilt');
  });

  it('re-queues a failed message already posted as it is, so its files go to the post that went out', async () => {
    const [queued] = await queueDeliveries(engine, [{ message: message(), channel: '#ai-finops' }], at('09:00:00'));
    const posted = { ...queued!, status: 'failed' as const, slack_ts: '1700000000.000001', channel: 'C00000001', posts: 1, last_error: 'missing_scope' };
    await saveDelivery(engine, posted);
    const [requeued] = await queueDeliveries(engine, [{ message: message({ text: 'rebuilt' }), channel: '#ai-finops' }], { ...at('10:00:00'), force: true });
    expect(requeued).toEqual({ ...posted, status: 'pending', updated_at: '2026-11-23T10:00:00Z' });
  });

  it('lists only the pending deliveries of the kinds asked for', async () => {
    await queueDeliveries(engine, [{ message: message(), channel: '#a' }, { message: message({ key: 'page:k', kind: 'page' }), channel: '#a' }], at('09:00:00'));
    expect((await pendingDeliveries(engine, ['page', 'resolved'])).map((d) => d.key)).toEqual(['page:k']);
    expect((await pendingDeliveries(engine, ['digest'])).map((d) => d.key)).toEqual(['digest:2026-11-16']);
  });

  it("reads every episode's page of a finding, and no other finding's whose key it begins", async () => {
    const page = (key: string) => ({ message: message({ key, kind: 'page' }), channel: '#a' });
    await queueDeliveries(engine, [
      page('page:pii:a:2026-11-20T00:00:00Z'),
      page('page:pii:a:2026-11-24T00:00:00Z'),
      page('page:pii:a:b:2026-11-24T00:00:00Z'),
      page('page:k'),
    ], at('09:00:00'));
    expect((await readPages(engine, ['pii:a'])).map((d) => d.key).sort()).toEqual(['page:pii:a:2026-11-20T00:00:00Z', 'page:pii:a:2026-11-24T00:00:00Z']);
  });

  it('lists pending deliveries oldest first, a page before the reply in its thread', async () => {
    await queueDeliveries(engine, [{ message: message({ key: 'resolved:k', kind: 'resolved', threadOf: 'page:k' }), channel: '#a' }, { message: message({ key: 'page:k', kind: 'page' }), channel: '#a' }], at('09:00:00'));
    await queueDeliveries(engine, [{ message: message({ key: 'digest:2026-11-16' }), channel: '#a' }], at('08:00:00'));
    expect((await pendingDeliveries(engine, allKinds)).map((d) => d.key)).toEqual(['digest:2026-11-16', 'page:k', 'resolved:k']);
  });
});

describe('the delivery ledger on BigQuery', () => {
  const bigQuery = useFakeBigQuery();

  it('reads the keys it queues, then MERGEs the new rows with typed parameters, never streaming them', async () => {
    const engine = bigQuery.engine();
    const fake = bigQuery.fake();
    await queueDeliveries(engine, [{ message: message(), channel: '#ai-finops' }], at('09:00:00'));
    const [read, merge] = fake.requestsTo('jobs.insert').map((r) => r.body.configuration.query);
    expect(read.query).toMatch(/from `test-project\.finops\.deliveries`\s+where key in unnest\(@keys\)/);
    expect(merge.query).toMatch(/^merge into `test-project\.finops\.deliveries` as target\nusing \(/);
    expect(merge.query).toContain('cast(@r0_attempts as int64) as attempts');
    expect(merge.query).toContain('when matched then update set kind = source.kind');
    const params = Object.fromEntries(merge.queryParameters.map((p: any) => [p.name, p.parameterValue.value ?? null]));
    expect(params).toMatchObject({ r0_key: 'digest:2026-11-16', r0_status: 'pending', r0_attempts: '0', r0_slack_ts: null, r0_created_at: '2026-11-23T09:00:00Z' });
    expect(fake.requestsTo('tabledata.insertAll')).toEqual([]);
  });
});
