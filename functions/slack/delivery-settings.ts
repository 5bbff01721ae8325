import type { WebClient } from '@slack/web-api';
import type { Settings } from '../config/settings.js';
import { slackClient } from './client.js';
import { fiveTriesInThirtySeconds, realSleep, type Clock, type RetryPolicy, type Sleep } from './retry.js';

/**
 * How a job delivers its Slack messages, built once per run from the settings and the CLI options, and handed to
 * the job in its JobContext (`delivery`). A context without it builds messages and delivers them nowhere.
 */
export interface DeliverySettings {
  /** The Slack client; null (no SLACK_BOT_TOKEN): a Slack-less run writes payloads under outDir, posts nothing. */
  client: WebClient | null;
  /** SLACK_CHANNEL: the default channel, before the config's slack.default_channel. */
  channel: string | undefined;
  /** Where a Slack-less run writes its payloads (`--out`). */
  outDir: string;
  /** `--force`: post again what was already sent (a new post, recorded). */
  force: boolean;
  retry: RetryPolicy;
  sleep: Sleep;
  clock: Clock;
  /** How long the delivery phase of a run may go on starting Slack calls (deliveryDeadlineMs). */
  deadlineMs: number;
}

/**
 * The delivery phase's deadline, a constant: 240 s from the start of delivery, no Slack call or retry wait begins.
 * The call under way may still take its request timeout: 30 s for a post, 3 x 30 s for an upload (three requests),
 * so delivery ends by about 330 s, leaving a run of the default 540 s function timeout (terraform
 * `function_timeout_seconds`) over 200 s for its queries and the chart before it. What has not gone out stays
 * pending, the run fails, and Cloud Scheduler's retry (or the next scheduled run) sends it.
 */
export const deliveryDeadlineMs = 240_000;

/** CONTRACT.md: Slack-less runs write payloads under `--out DIR`, default ./out/. */
export const defaultOutDir = './out/';

export function deliverySettings(settings: Settings, options: { out?: string; force?: boolean } = {}): DeliverySettings {
  return {
    client: slackClient(settings.slack),
    channel: settings.slack.channel,
    outDir: options.out ?? defaultOutDir,
    force: options.force ?? false,
    retry: fiveTriesInThirtySeconds,
    sleep: realSleep,
    clock: Date.now,
    deadlineMs: deliveryDeadlineMs,
  };
}

/** A run that never posts, whatever the environment holds (the demo): payloads go under `outDir`. */
export function slacklessDelivery(outDir: string): DeliverySettings {
  return { client: null, channel: undefined, outDir, force: false, retry: fiveTriesInThirtySeconds, sleep: realSleep, clock: Date.now, deadlineMs: deliveryDeadlineMs };
}
