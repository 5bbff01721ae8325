import type { SlackMessage } from './message.js';

/**
 * A SlackMessage as the delivery ledger keeps it (the `payload` column): JSON, the files' bytes as base64, so a
 * message that could not go out is sent by a later run exactly as it was built.
 */

interface StoredFile {
  filename: string;
  title: string;
  altText: string;
  base64: string;
}

type StoredMessage = Omit<SlackMessage, 'files'> & { files?: StoredFile[] };

export function encodePayload(message: SlackMessage): string {
  const { files, ...rest } = message;
  const stored: StoredMessage = { ...rest };
  if (files) {
    stored.files = files.map(({ content, ...file }) => ({ ...file, base64: Buffer.from(content).toString('base64') }));
  }
  return JSON.stringify(stored);
}

export function decodePayload(payload: string): SlackMessage {
  const { files, ...rest } = JSON.parse(payload) as StoredMessage;
  const message: SlackMessage = { ...rest };
  if (files) {
    message.files = files.map(({ base64, ...file }) => ({ ...file, content: new Uint8Array(Buffer.from(base64, 'base64')) }));
  }
  return message;
}
