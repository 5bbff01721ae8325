import { LogLevel, WebClient } from '@slack/web-api';
import type { Settings } from '../config/settings.js';

/**
 * The real Slack Web API client, from the settings: SLACK_BOT_TOKEN, and SLACK_API_URL instead of
 * https://slack.com/api/ (tests, Slack-compatible servers). No token: no client, and runs are Slack-less.
 *
 * The client's own retries are off (by default it retries for about 30 minutes, longer than a Cloud Function
 * lives) and a 429 is rejected at once with its Retry-After: retry.ts does the backoff, with a sleep tests inject.
 * Its logger writes errors only, to stderr, so stdout stays the job's result.
 */

/** A hung request gives up after this long and counts as a network failure (retried). */
export const slackRequestTimeoutMs = 30_000;

export function slackClient(slack: Settings['slack']): WebClient | null {
  if (!slack.botToken) return null;
  return new WebClient(slack.botToken, {
    // the client appends the method name to the base URL, so it must end in a slash
    slackApiUrl: slack.apiUrl === undefined ? undefined : slack.apiUrl.replace(/\/*$/, '/'),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: slackRequestTimeoutMs,
    logLevel: LogLevel.ERROR,
  });
}
