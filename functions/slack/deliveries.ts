import type { Engine, Row } from '../engine/engine.js';
import { stamp } from '../findings/stamps.js';
import { sqlFile } from '../sql/files.js';
import { upsertStatement } from '../sql/upsert.js';
import type { MessageKind, SlackMessage } from './message.js';
import { encodePayload } from './payload.js';

/**
 * The delivery ledger: the `deliveries` table, one row per message key (`digest:2026-11-23`, `page:KEY:ONSET`). It
 * is what makes every post idempotent: a job queues its messages, and a message whose key is already sent is not
 * posted again (unless --force); a post that failed for a passing reason stays `pending` with its error and goes out
 * on the next run; one Slack refused for good (channel_not_found, invalid_auth, ...) is `failed`, and waits for a
 * person to fix the cause and re-queue it with --force, instead of failing every run after.
 *
 * A row's life: queued `pending` (slack_ts null) -> posted (slack_ts and the channel id Slack answered; still
 * `pending` while its files are to be uploaded) -> `sent`; or, from either pending state, `failed`, which --force
 * makes `pending` again. Rows are written with the same MERGE as the findings
 * (functions/sql/upsert.ts): BigQuery DML, never streaming inserts, whose rows cannot be updated for ~30 minutes.
 */

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

export interface Delivery {
  key: string;
  kind: MessageKind;
  /** Where it goes: a channel name or id; once posted, the channel id Slack answered. */
  channel: string;
  status: DeliveryStatus;
  /** Slack calls tried so far (posts and uploads, retries included). */
  attempts: number;
  /** Times Slack accepted it: 1, one more for each --force re-post. */
  posts: number;
  /** The message as built (payload.ts). */
  payload: string;
  /** For a reply: the key of the delivery whose thread it goes in. */
  thread_key: string | null;
  slack_ts: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  updated_at: string;
}

/** A message to queue, and the channel it goes to (resolved by deliver.ts). */
export interface Outgoing {
  message: SlackMessage;
  channel: string;
}

/** Payloads can be large (a chart), so a MERGE carries fewer rows than the findings' 200. */
const rowsPerDeliveryMerge = 20;

/**
 * Queues messages and returns their rows as stored:
 * - a new key: a pending row;
 * - a pending row not yet posted: its payload and channel refreshed (the latest build goes out);
 * - a row already posted (sent, or pending with files still to upload): kept as it is, so nothing posts twice;
 * - a failed row: kept as it is, so later runs skip it (it failed for a reason only a person can fix);
 * - with `force`, a sent row, or a failed row never posted: pending again with slack_ts cleared, rebuilt from this
 *   run (the current config: a corrected channel), so the next delivery is a new post;
 * - with `force`, a failed row already posted (its upload was refused): pending again as it is, so the next run
 *   uploads its files to the post that went out, rather than posting the message twice.
 */
export async function queueDeliveries(engine: Engine, outgoing: Outgoing[], options: { now: Date; force: boolean }): Promise<Delivery[]> {
  const now = stamp(options.now);
  const stored = new Map((await readDeliveries(engine, outgoing.map((o) => o.message.key))).map((d) => [d.key, d]));
  const next = new Map<string, Delivery>();
  for (const { message, channel } of outgoing) {
    const before = stored.get(message.key);
    const fresh: Delivery = {
      key: message.key,
      kind: message.kind,
      channel,
      status: 'pending',
      attempts: before?.attempts ?? 0,
      posts: before?.posts ?? 0,
      payload: encodePayload(message),
      thread_key: message.threadOf ?? null,
      slack_ts: null,
      last_error: before?.last_error ?? null,
      created_at: before?.created_at ?? now,
      sent_at: before?.sent_at ?? null,
      updated_at: now,
    };
    next.set(message.key, queued(before, fresh, options.force));
  }
  const changed = [...next.values()].filter((d) => {
    const before = stored.get(d.key);
    return before === undefined || comparable(before) !== comparable(d);
  });
  await writeDeliveries(engine, changed);
  return [...next.values()];
}

/** What queueDeliveries keeps for one key: the stored row, `fresh` (this run's build), or the stored row re-queued. */
function queued(before: Delivery | undefined, fresh: Delivery, force: boolean): Delivery {
  if (before === undefined) return fresh;
  const posted = before.slack_ts !== null;
  if (force) return before.status === 'failed' && posted ? { ...before, status: 'pending', updated_at: fresh.updated_at } : fresh;
  return posted || before.status === 'failed' ? before : fresh;
}

/** The deliveries with these keys, in no particular order. */
export async function readDeliveries(engine: Engine, keys: readonly string[]): Promise<Delivery[]> {
  if (keys.length === 0) return [];
  const rows = await engine.query(sqlFile('slack/deliveries_by_key.sql'), { keys: [...new Set(keys)] }, { labels: { job: 'slack' } });
  return rows.map(fromRow);
}

/** The deliveries of these kinds not yet done (failed ones excluded), oldest first. */
export async function pendingDeliveries(engine: Engine, kinds: readonly MessageKind[]): Promise<Delivery[]> {
  const rows = await engine.query(sqlFile('slack/pending_deliveries.sql'), { kinds: [...kinds] }, { labels: { job: 'slack' } });
  return rows.map(fromRow);
}

/**
 * Every page delivery of these findings, one per episode paged (`page:FINDING_KEY:ONSET`), in no particular order:
 * how the anomaly-scan tells whether a finding's current episode was paged (anomaly-pages.ts).
 */
export async function readPages(engine: Engine, findingKeys: readonly string[]): Promise<Delivery[]> {
  if (findingKeys.length === 0) return [];
  const pages = [...new Set(findingKeys)].map((key) => `page:${key}`);
  const rows = await engine.query(sqlFile('slack/pages_by_finding.sql'), { pages }, { labels: { job: 'slack' } });
  return rows.map(fromRow);
}

/** Writes one delivery's new state (after a post, an upload or a failure). */
export async function saveDelivery(engine: Engine, delivery: Delivery): Promise<void> {
  await writeDeliveries(engine, [delivery]);
}

async function writeDeliveries(engine: Engine, deliveries: Delivery[]): Promise<void> {
  for (let start = 0; start < deliveries.length; start += rowsPerDeliveryMerge) {
    const { sql, params } = upsertStatement('deliveries', deliveries.slice(start, start + rowsPerDeliveryMerge).map(toRow));
    await engine.query(sql, params, { labels: { job: 'slack' } });
  }
}

/** Every field but updated_at, so re-queuing the same message writes nothing. */
function comparable(delivery: Delivery): string {
  const { updated_at: _updated, ...rest } = delivery;
  return JSON.stringify(Object.keys(rest).sort().map((k) => rest[k as keyof typeof rest]));
}

function toRow(delivery: Delivery): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(delivery).map(([column, value]) => [column, value === null ? null : String(value)]),
  );
}

function fromRow(row: Row): Delivery {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const instant = (value: unknown) => (value === null || value === undefined ? null : stamp(String(value)));
  return {
    key: String(row.key),
    kind: String(row.kind) as MessageKind,
    channel: String(row.channel),
    status: String(row.status) as DeliveryStatus,
    attempts: Number(row.attempts),
    posts: Number(row.posts),
    payload: String(row.payload),
    thread_key: text(row.thread_key),
    slack_ts: text(row.slack_ts),
    last_error: text(row.last_error),
    created_at: stamp(String(row.created_at)),
    sent_at: instant(row.sent_at),
    updated_at: stamp(String(row.updated_at)),
  };
}
