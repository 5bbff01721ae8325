import { slackFailure, type SlackFailure } from './failure.js';

/**
 * Retries of one Slack call, with exponential backoff: after the n-th failed try it waits firstDelayMs * 2^(n-1)
 * (capped at maxDelayMs), or a 429's Retry-After if that is longer. A Retry-After beyond maxRetryAfterMs is not
 * waited for: the message stays pending and the next scheduled run sends it. Worst case with the production
 * policy: 2 + 4 + 8 + 16 = 30 s of waiting, well inside a scheduled function's time limit.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  tries: number;
  firstDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const fiveTriesInThirtySeconds: RetryPolicy = { tries: 5, firstDelayMs: 2_000, maxDelayMs: 16_000, maxRetryAfterMs: 120_000 };

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Slack call that failed for good (permanent, or transient past its tries). */
export class SlackCallFailed extends Error {
  constructor(readonly failure: SlackFailure, readonly tries: number, options: { cause: unknown }) {
    super(failure.reason, options);
    this.name = 'SlackCallFailed';
  }
}

/** The wait before try n + 1, after n failed tries; null: give up. */
export function retryDelay(policy: RetryPolicy, failedTries: number, failure: SlackFailure): number | null {
  if (!failure.transient || failedTries >= policy.tries) return null;
  if (failure.retryAfterMs !== null && failure.retryAfterMs > policy.maxRetryAfterMs) return null;
  const backoff = Math.min(policy.firstDelayMs * 2 ** (failedTries - 1), policy.maxDelayMs);
  return Math.max(backoff, failure.retryAfterMs ?? 0);
}

/**
 * Runs `call` until it succeeds or retryDelay gives up; `onTry` counts every try (the ledger's attempts).
 * @throws {SlackCallFailed} with the last failure's reason and fix.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: { policy: RetryPolicy; sleep: Sleep; channel: string; onTry: () => void },
): Promise<T> {
  for (let tried = 1; ; tried++) {
    options.onTry();
    try {
      return await call();
    } catch (error) {
      const failure = slackFailure(error, options.channel);
      const delay = retryDelay(options.policy, tried, failure);
      if (delay === null) {
        const reason = failure.transient ? `${failure.reason}, ${tried} ${tried === 1 ? 'try' : 'tries'}` : failure.reason;
        throw new SlackCallFailed({ ...failure, reason }, tried, { cause: error });
      }
      await options.sleep(delay);
    }
  }
}
