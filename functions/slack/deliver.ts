import { ConfigError, DeliveryError } from '../errors.js';
import { stamp } from '../findings/stamps.js';
import type { JobContext } from '../jobs/context.js';
import { pendingDeliveries, queueDeliveries, readDeliveries, saveDelivery, type Delivery } from './deliveries.js';
import type { DeliverySettings } from './delivery-settings.js';
import type { MessageKind, SlackMessage } from './message.js';
import { decodePayload } from './payload.js';
import { SlackCallFailed, withRetries } from './retry.js';
import { writePayload } from './write-payloads.js';

/**
 * Delivers a job's messages, once. With a token: queue them in the delivery ledger (deliveries.ts), then send every
 * pending delivery of the job's own kinds, this run's and those earlier runs left: chat.postMessage (text and
 * blocks; a reply in the thread of the delivery it answers), then its files with filesUploadV2 in the posted
 * message's channel and thread. Each Slack call is retried (retry.ts) until the delivery deadline
 * (delivery-settings.ts). A delivery that fails for a passing reason stays pending with its error; one Slack
 * refuses for good becomes `failed` with the fix, and later runs skip it until --force re-queues it. Either way the
 * run fails (DeliveryError: exit 1, the function answers 5xx) once, so the scheduler runs it again and a person
 * sees the fix. Without a token: the payloads are written under the out dir, and nothing is marked sent.
 */

/**
 * A job's messages, and the kinds of message the job owns: digest `digest`, month-end `month-end`, anomaly-scan
 * `page` and `resolved`. A run sends the pending deliveries of its own kinds only. The ledger is read, then
 * written after each post, with no lock between: two runs sending the same pending row at once would both post it.
 * Different jobs do run at the same minute (the Monday 09:00 digest and the hourly anomaly-scan), so each keeps to
 * its kinds, and the only overlap left is a job with itself, which the deployment rules out (terraform/functions.tf:
 * one instance, one request at a time).
 */
export interface Outbox {
  kinds: readonly MessageKind[];
  messages: SlackMessage[];
}

export type DeliveryOutcome =
  /** Slack accepted it in this run. */
  | 'posted'
  /** Its key was sent by an earlier run: not posted again (--force posts it again). */
  | 'already sent'
  /** Still pending: the next run tries again. */
  | 'pending'
  /** Refused by Slack for good (this run or an earlier one): skipped until --force re-queues it. */
  | 'failed'
  /** Slack-less: written under the out dir. */
  | 'written'
  /** No delivery settings: built only. */
  | 'built';

export interface MessageDelivery {
  key: string;
  kind: MessageKind;
  channel: string | null;
  outcome: DeliveryOutcome;
  slack_ts: string | null;
  /** Slack-less: the files written (the payload first). */
  written: string[];
  error: string | null;
}

export interface DeliveryReport {
  /** This run's messages, in the order given. */
  messages: MessageDelivery[];
  /** Deliveries of the job's kinds earlier runs left pending that this run sent or tried. */
  earlier: MessageDelivery[];
}

export async function deliverMessages(context: JobContext, { kinds, messages }: Outbox): Promise<DeliveryReport> {
  const settings = context.delivery;
  if (!settings) return { messages: messages.map((m) => outcome(m.key, m.kind, m.channel, 'built')), earlier: [] };
  if (!settings.client) {
    const written = messages.map((m) => {
      const channel = channelOf(m, settings, context);
      return { ...outcome(m.key, m.kind, channel, 'written'), written: writePayload(settings.outDir, m, channel) };
    });
    return { messages: written, earlier: [] };
  }

  const now = context.now();
  const parents = new Map((await readDeliveries(context.engine, messages.flatMap((m) => m.threadOf ?? []))).map((d) => [d.key, d]));
  const outgoing = messages.map((message) => ({
    message,
    channel: (message.threadOf && parents.get(message.threadOf)?.channel) || channelFor(message, settings, context),
  }));
  const queued = new Map((await queueDeliveries(context.engine, outgoing, { now, force: settings.force })).map((d) => [d.key, d]));

  const deadline = settings.clock() + settings.deadlineMs;
  const results = new Map<string, MessageDelivery>();
  for (const pending of await pendingDeliveries(context.engine, kinds)) {
    const { delivery, error } = await send(context, settings, pending, now, deadline);
    results.set(delivery.key, { ...fromDelivery(delivery, error === null ? 'posted' : delivery.status === 'failed' ? 'failed' : 'pending'), error });
  }
  const ours = messages.map((m) => results.get(m.key) ?? stored(queued.get(m.key)!));
  const earlier = [...results.values()].filter((r) => !queued.has(r.key));

  // only what this run tried: a delivery that failed in an earlier run was reported then, and is skipped now
  const unsent = [...results.values()].filter((r) => r.outcome === 'pending' || r.outcome === 'failed');
  if (unsent.length > 0) throw new DeliveryError(unsentMessage(unsent));
  return { messages: ours, earlier };
}

/** A message this run queued and did not try: sent before, or failed before and skipped. */
function stored(delivery: Delivery): MessageDelivery {
  return fromDelivery(delivery, delivery.status === 'failed' ? 'failed' : 'already sent');
}

/** The run's error: each delivery that did not go out, with what happens to it next. */
function unsentMessage(unsent: MessageDelivery[]): string {
  const lines = unsent.map((r) =>
    r.outcome === 'failed'
      ? `  ${r.key}: ${r.error} (failed: later runs skip it; once fixed, re-queue it with --force)`
      : `  ${r.key}: ${r.error} (pending: the next run sends it)`,
  );
  return `${unsent.length} Slack ${unsent.length === 1 ? 'delivery' : 'deliveries'} did not go out:\n${lines.join('\n')}`;
}

/**
 * The channel a message goes to: its own (a feature's slack_channel), else SLACK_CHANNEL, else the config's
 * slack.default_channel; null when none is set.
 */
function channelOf(message: SlackMessage, settings: DeliverySettings, context: JobContext): string | null {
  return message.channel ?? settings.channel ?? context.config.slack.default_channel ?? null;
}

/** channelOf, for a post. @throws {ConfigError} when no channel is set. */
function channelFor(message: SlackMessage, settings: DeliverySettings, context: JobContext): string {
  const channel = channelOf(message, settings, context);
  if (!channel) {
    throw new ConfigError(`no Slack channel for ${message.key}: set SLACK_CHANNEL, or slack.default_channel in the config (e.g. default_channel: "#ai-finops")`);
  }
  return channel;
}

/** Posts one pending delivery and uploads its files, as far as it got before; every step is saved at once. */
async function send(context: JobContext, settings: DeliverySettings, pending: Delivery, now: Date, deadline: number): Promise<{ delivery: Delivery; error: string | null }> {
  const client = settings.client!;
  const at = stamp(now);
  const message = decodePayload(pending.payload);
  let delivery: Delivery = { ...pending };
  const save = async (changes: Partial<Delivery>) => {
    delivery = { ...delivery, ...changes, updated_at: at };
    await saveDelivery(context.engine, delivery);
  };

  let threadTs: string | undefined;
  if (delivery.thread_key !== null) {
    const [parent] = await readDeliveries(context.engine, [delivery.thread_key]);
    if (!parent?.slack_ts) {
      // a thread Slack refused to start will not exist until a person re-queues it: the reply waits as failed too
      const refused = parent?.status === 'failed';
      const error = refused
        ? `it replies in the thread of ${delivery.thread_key}, which Slack refused (${parent!.last_error})`
        : `it replies in the thread of ${delivery.thread_key}, which has not been posted yet`;
      await save({ last_error: error, status: refused ? 'failed' : 'pending' });
      return { delivery, error };
    }
    threadTs = parent.slack_ts;
    delivery.channel = parent.channel;
  }

  const retries = { policy: settings.retry, sleep: settings.sleep, clock: settings.clock, deadline, channel: delivery.channel, onTry: () => void delivery.attempts++ };
  const files = message.files ?? [];
  try {
    if (delivery.slack_ts === null) {
      const posted = await withRetries(
        () =>
          client.chat.postMessage({
            channel: delivery.channel,
            text: message.text,
            blocks: message.blocks,
            ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
            unfurl_links: false,
            unfurl_media: false,
          }),
        retries,
      );
      await save({
        slack_ts: String(posted.ts),
        // the channel id Slack answered: files and replies go there, whatever name the config used
        channel: posted.channel ?? delivery.channel,
        posts: delivery.posts + 1,
        status: files.length === 0 ? 'sent' : 'pending',
        sent_at: files.length === 0 ? at : delivery.sent_at,
        last_error: null,
      });
    }
    if (files.length > 0) {
      await withRetries(
        () =>
          client.filesUploadV2({
            channel_id: delivery.channel,
            thread_ts: delivery.slack_ts!,
            file_uploads: files.map((f) => ({ file: Buffer.from(f.content), filename: f.filename, title: f.title, alt_text: f.altText })),
          }),
        { ...retries, channel: delivery.channel },
      );
      await save({ status: 'sent', sent_at: at, last_error: null });
    }
    return { delivery, error: null };
  } catch (error) {
    if (!(error instanceof SlackCallFailed)) throw error;
    await save({ last_error: error.message, status: error.failure.transient ? 'pending' : 'failed' });
    return { delivery, error: error.message };
  }
}

function outcome(key: string, kind: MessageKind, channel: string | null, how: DeliveryOutcome): MessageDelivery {
  return { key, kind, channel, outcome: how, slack_ts: null, written: [], error: null };
}

function fromDelivery(delivery: Delivery, how: DeliveryOutcome): MessageDelivery {
  return { ...outcome(delivery.key, delivery.kind, delivery.channel, how), slack_ts: delivery.slack_ts, error: delivery.last_error };
}
