import { describe, expect, it } from 'vitest';
import { fiveTriesInThirtySeconds, retryDelay } from '../../functions/slack/retry.js';
import type { SlackFailure } from '../../functions/slack/failure.js';

const transient: SlackFailure = { transient: true, retryAfterMs: null, reason: 'HTTP 500' };

describe('the wait before the next try of a Slack call', () => {
  it.each([
    { name: 'doubles from 2 s after each transient failure', failed: [1, 2, 3, 4], failure: transient, expected: [2000, 4000, 8000, 16000] },
    { name: 'gives up after the fifth try', failed: [5], failure: transient, expected: [null] },
    { name: "waits a 429's Retry-After when it is longer than the backoff", failed: [1], failure: { ...transient, retryAfterMs: 30_000 }, expected: [30_000] },
    { name: 'keeps the backoff when a Retry-After is shorter', failed: [3], failure: { ...transient, retryAfterMs: 1000 }, expected: [8000] },
    { name: 'does not wait out a Retry-After beyond 30 s: the next run sends it', failed: [1], failure: { ...transient, retryAfterMs: 31_000 }, expected: [null] },
    { name: 'never retries a permanent failure', failed: [1], failure: { ...transient, transient: false }, expected: [null] },
  ])('$name', ({ failed, failure, expected }) => {
    expect(failed.map((n) => retryDelay(fiveTriesInThirtySeconds, n, failure))).toEqual(expected);
  });
});
