import { ErrorCode } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { slackFailure } from '../../functions/slack/failure.js';

/** The one place transient and permanent Slack failures are told apart; errors shaped as @slack/web-api throws them. */
describe('telling Slack failures apart', () => {
  it.each([
    { name: 'a 429 is transient, with its Retry-After', error: { code: ErrorCode.RateLimitedError, retryAfter: 3 }, transient: true, retryAfterMs: 3000, reason: /HTTP 429, retry after 3 s/ },
    { name: 'a 503 is transient', error: { code: ErrorCode.HTTPError, statusCode: 503 }, transient: true, retryAfterMs: null, reason: /HTTP 503$/ },
    { name: 'a 404 is permanent and points at SLACK_API_URL', error: { code: ErrorCode.HTTPError, statusCode: 404 }, transient: false, retryAfterMs: null, reason: /HTTP 404: check SLACK_API_URL/ },
    { name: 'a network error is transient', error: { code: ErrorCode.RequestError, original: new Error('socket hang up') }, transient: true, retryAfterMs: null, reason: /could not reach Slack \(socket hang up\)/ },
    { name: "Slack's internal_error is transient", error: { code: ErrorCode.PlatformError, data: { ok: false, error: 'internal_error' } }, transient: true, retryAfterMs: null, reason: /internal_error/ },
    { name: 'is_archived is permanent, with the fix', error: { code: ErrorCode.PlatformError, data: { ok: false, error: 'is_archived' } }, transient: false, retryAfterMs: null, reason: /#costs is archived \(is_archived\): unarchive it/ },
    { name: 'invalid_blocks names the problem Slack saw', error: { code: ErrorCode.PlatformError, data: { ok: false, error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] must be less than 3001 characters'] } } }, transient: false, retryAfterMs: null, reason: /invalid_blocks \[ERROR\] must be less than 3001 characters/ },
    { name: 'anything else is permanent', error: new Error('boom'), transient: false, retryAfterMs: null, reason: /the Slack call failed: boom/ },
  ])('$name', ({ error, transient, retryAfterMs, reason }) => {
    const failure = slackFailure(error, '#costs');
    expect(failure).toMatchObject({ transient, retryAfterMs });
    expect(failure.reason).toMatch(reason);
  });
});
