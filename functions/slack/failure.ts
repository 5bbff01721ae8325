import { ErrorCode } from '@slack/web-api';

/**
 * What went wrong with one Slack call, told apart in one place: transient failures (HTTP 429 with its Retry-After,
 * 5xx, the network, Slack's own `internal_error`) are retried; permanent ones (`ok:false` with a reason such as
 * channel_not_found, a 4xx) are not, and say the fix.
 */
export interface SlackFailure {
  transient: boolean;
  /** From a 429's Retry-After header. */
  retryAfterMs: number | null;
  /** What happened and what to do, for the ledger's last_error and the job's error. */
  reason: string;
}

/** `ok:false` reasons that are Slack's trouble, not ours: retried like a 5xx. */
const transientReasons = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

const badToken = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'not_allowed_token_type']);
const badMessage = new Set(['msg_too_long', 'invalid_blocks', 'invalid_blocks_format', 'no_text', 'too_many_attachments']);

/** The fix for an `ok:false` reason, for a message to `channel`. */
function platformReason(code: string, channel: string, data: Record<string, unknown>): string {
  const invite = `invite the bot: /invite @ai-finops in ${channel}`;
  if (code === 'channel_not_found') {
    return `Slack answered channel_not_found for ${channel}: check the name (SLACK_CHANNEL, slack.default_channel or the feature's slack_channel); for a private channel, ${invite}`;
  }
  if (code === 'not_in_channel') return `the bot is not in ${channel} (not_in_channel): ${invite}`;
  if (code === 'is_archived') return `${channel} is archived (is_archived): unarchive it, or point the config at another channel`;
  if (badToken.has(code)) return `Slack rejected SLACK_BOT_TOKEN (${code}): set it to the bot token (xoxb-...) of the installed ai-finops app`;
  if (code === 'missing_scope') {
    return `the bot token lacks a scope (missing_scope, needed: ${String(data.needed ?? 'chat:write, files:write')}): add chat:write and files:write to the app and reinstall it`;
  }
  if (badMessage.has(code)) {
    const details = Array.isArray(data.response_metadata && (data.response_metadata as { messages?: unknown }).messages)
      ? ` ${((data.response_metadata as { messages: string[] }).messages).join('; ')}`
      : '';
    return `Slack refused the message (${code}${details}): a message builder broke Slack's limits, please report it`;
  }
  return `Slack answered ${code} for a message to ${channel}`;
}

export function slackFailure(error: unknown, channel: string): SlackFailure {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: Record<string, unknown>; original?: Error; message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { transient: true, retryAfterMs: (e.retryAfter ?? 1) * 1000, reason: `Slack rate-limited the post (HTTP 429, retry after ${e.retryAfter ?? '?'} s)` };
    case ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      const transient = status >= 500 || status === 408;
      return { transient, retryAfterMs: null, reason: `Slack answered HTTP ${status}${transient ? '' : ': check SLACK_API_URL'}` };
    }
    case ErrorCode.RequestError:
      return { transient: true, retryAfterMs: null, reason: `could not reach Slack (${e.original?.message ?? e.message}): check the network and SLACK_API_URL` };
    case ErrorCode.PlatformError: {
      const code = String(e.data?.error ?? 'unknown_error');
      return { transient: transientReasons.has(code), retryAfterMs: null, reason: platformReason(code, channel, e.data ?? {}) };
    }
    default:
      return { transient: false, retryAfterMs: null, reason: `the Slack call failed: ${e.message ?? String(error)}` };
  }
}
