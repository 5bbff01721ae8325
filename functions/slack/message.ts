import type { KnownBlock } from '@slack/web-api';

/**
 * One Slack message as ai-finops sends it: built by a pure function (digest.ts, month-end.ts, anomaly-page.ts),
 * delivered once through the delivery ledger (the `deliveries` table). The builders never talk to Slack, and
 * delivery never looks inside a message: this type is the whole contract between them.
 */

export type MessageKind = 'digest' | 'month-end' | 'page' | 'resolved';

export interface SlackFile {
  filename: string;
  title: string;
  /** The file's bytes (a PNG chart). */
  content: Uint8Array;
  /** Alt text for the image, for screen readers and for the text rendering. */
  altText: string;
}

export interface SlackMessage {
  /**
   * The delivery key: the same message built again has the same key, so it is posted once
   * (`digest:2026-11-23`, `month-end:2026-11`, `page:FINDING_KEY:ONSET`, `resolved:FINDING_KEY:ONSET`).
   */
  key: string;
  kind: MessageKind;
  /** The channel from config (a feature's slack_channel); null: the default channel. */
  channel: string | null;
  /** The notification and fallback text: plain, escaped, one or two sentences. */
  text: string;
  /** Block Kit blocks, within Slack's limits (50 blocks, 3,000 characters a section). */
  blocks: KnownBlock[];
  /** Post as a reply in the thread of the message delivered under this key. */
  threadOf?: string;
  /** Files uploaded with the message, in its thread or channel (the fan chart). */
  files?: SlackFile[];
}
