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
 * pending delivery, this run's and those earlier runs left: chat.postMessage (text and blocks; a reply in the thread
 * of the delivery it answers), then its files with filesUploadV2 in the posted message's channel and thread. Each
 * Slack call is retried (retry.ts); a delivery that still fails stays pending with its error, and the run fails
 * (DeliveryError: exit 1, the function answers 5xx) so the scheduler runs it again. Without a token: the payloads
 * are written under the out dir, and nothing is marked sent.
 */

export type DeliveryOutcome =
  /** Slack accepted it in this run. */
  | 'posted'
  /** Its key was sent by an earlier run: not posted again (--force posts it again). */
  | 'already sent'
  /** Still pending: the next run tries again. */
  | 'pending'
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
  /** Deliveries earlier runs left pending that this run sent or tried. */
  earlier: MessageDelivery[];
}

export async function deliverMessages(context: JobContext, messages: SlackMessage[]): Promise<DeliveryReport> {
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

  const results = new Map<string, MessageDelivery>();
  for (const pending of await pendingDeliveries(context.engine)) {
    const { delivery, error } = await send(context, settings, pending, now);
    results.set(delivery.key, { ...fromDelivery(delivery, error === null ? 'posted' : 'pending'), error });
  }
  const ours = messages.map((m) => results.get(m.key) ?? fromDelivery(queued.get(m.key)!, 'already sent'));
  const earlier = [...results.values()].filter((r) => !queued.has(r.key));

  const failed = [...ours, ...earlier].filter((r) => r.outcome === 'pending');
  if (failed.length > 0) {
    throw new DeliveryError(
      `${failed.length} Slack ${failed.length === 1 ? 'delivery' : 'deliveries'} failed and stay pending (the next run sends ${failed.length === 1 ? 'it' : 'them'}):\n` +
        failed.map((r) => `  ${r.key}: ${r.error}`).join('\n'),
    );
  }
  return { messages: ours, earlier };
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
async function send(context: JobContext, settings: DeliverySettings, pending: Delivery, now: Date): Promise<{ delivery: Delivery; error: string | null }> {
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
      const error = `it replies in the thread of ${delivery.thread_key}, which has not been posted yet`;
      await save({ last_error: error });
      return { delivery, error };
    }
    threadTs = parent.slack_ts;
    delivery.channel = parent.channel;
  }

  const retries = { policy: settings.retry, sleep: settings.sleep, channel: delivery.channel, onTry: () => void delivery.attempts++ };
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
    await save({ last_error: error.message });
    return { delivery, error: error.message };
  }
}

function outcome(key: string, kind: MessageKind, channel: string | null, how: DeliveryOutcome): MessageDelivery {
  return { key, kind, channel, outcome: how, slack_ts: null, written: [], error: null };
}

function fromDelivery(delivery: Delivery, how: DeliveryOutcome): MessageDelivery {
  return { ...outcome(delivery.key, delivery.kind, delivery.channel, how), slack_ts: delivery.slack_ts, error: delivery.last_error };
}
