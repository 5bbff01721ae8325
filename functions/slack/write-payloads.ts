import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SlackMessage } from './message.js';

/**
 * A Slack-less run (no SLACK_BOT_TOKEN): each message is written under the out dir as the JSON a post would carry
 * (channel, text, blocks, thread), its files beside it, so a person can read or replay it. Nothing is posted and
 * nothing enters the delivery ledger. Writing the same message again overwrites the same files.
 */

/**
 * A file name from a message key. Keys hold user-supplied names (a feature in a page's finding key), so anything
 * but letters, digits, `.`, `_` and `-` becomes `_`; when that changed more than the `:` separators, a hash of the
 * key keeps two keys from landing on one file.
 *
 * @example fileStem('digest:2026-11-23') // 'digest_2026-11-23'
 */
export function fileStem(key: string): string {
  const stem = key.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const plain = key.replace(/:/g, '_');
  return stem === plain ? stem : `${stem}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** Writes one message; returns the paths written, the payload first. */
export function writePayload(outDir: string, message: SlackMessage, channel: string | null): string[] {
  mkdirSync(outDir, { recursive: true });
  const stem = fileStem(message.key);
  const files = (message.files ?? []).map((file) => ({ file, path: join(outDir, `${stem}-${fileStem(file.filename)}`) }));
  const payload = {
    key: message.key,
    kind: message.kind,
    channel,
    thread_of: message.threadOf ?? null,
    text: message.text,
    blocks: message.blocks,
    files: files.map(({ file, path }) => ({ filename: file.filename, title: file.title, alt_text: file.altText, path })),
  };
  const payloadPath = join(outDir, `${stem}.json`);
  writeFileSync(payloadPath, JSON.stringify(payload, null, 2) + '\n');
  for (const { file, path } of files) writeFileSync(path, file.content);
  return [payloadPath, ...files.map((f) => f.path)];
}
