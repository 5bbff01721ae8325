import type { KnownBlock } from '@slack/web-api';
import { parseSettings } from '../../functions/config/settings.js';
import type { FinopsConfig } from '../../functions/config/finops-config.js';
import type { Engine } from '../../functions/engine/engine.js';
import type { JobContext } from '../../functions/jobs/context.js';
import { deliverySettings, type DeliverySettings } from '../../functions/slack/delivery-settings.js';
import type { Outbox } from '../../functions/slack/deliver.js';
import type { MessageKind, SlackMessage } from '../../functions/slack/message.js';
import { configFrom } from '../support/ledger.js';

/**
 * Shared by the delivery tests: a context that delivers to a fake Slack, with a sleep that only records, and a clock
 * that only the sleeps move (so the delivery deadline is met in test time, not real time).
 */

export const withDefaultChannel = (): FinopsConfig => configFrom('version: 1\nslack:\n  default_channel: "#ai-finops"\n');

export function slackContext(
  engine: Engine,
  options: { apiUrl: string; env?: Record<string, string>; config?: FinopsConfig; force?: boolean; out?: string; now?: string; deadlineMs?: number },
): JobContext & { delivery: DeliverySettings; slept: number[] } {
  const slept: number[] = [];
  const settings = parseSettings({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: options.apiUrl, ...options.env });
  const now = new Date(options.now ?? '2026-11-23T09:00:00Z');
  const delivery: DeliverySettings = {
    ...deliverySettings(settings, { force: options.force, out: options.out }),
    sleep: async (ms) => void slept.push(ms),
    clock: () => now.getTime() + slept.reduce((sum, ms) => sum + ms, 0),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  };
  return { engine, config: options.config ?? withDefaultChannel(), asOf: '2026-11-23', now: () => now, delivery, slept };
}

export const blocksOf = (text: string): KnownBlock[] => [
  { type: 'header', text: { type: 'plain_text', text: 'AI spend, week of 2026-11-16' } },
  { type: 'section', text: { type: 'mrkdwn', text } },
];

/** Messages for a job that owns every kind: what deliver.ts does with kinds is tested on its own. */
export function outbox(messages: SlackMessage[], kinds: readonly MessageKind[] = ['digest', 'month-end', 'page', 'resolved']): Outbox {
  return { kinds, messages };
}

export function message(o: Partial<SlackMessage> = {}): SlackMessage {
  const text = o.text ?? 'AI spend last week: $927.30 (+12%).';
  return { key: 'digest:2026-11-16', kind: 'digest', channel: null, text, blocks: blocksOf(text), ...o };
}

/** The 8-byte PNG signature and a few bytes: what delivery uploads is opaque to it. */
export const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]);
