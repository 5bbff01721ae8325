import { slackFailure, type SlackFailure } from './failure.js';

/**
 * Retries of one Slack call, with exponential backoff: after the n-th failed try it waits firstDelayMs * 2^(n-1)
 * (capped at maxDelayMs), or a 429's Retry-After if that is longer. A Retry-After beyond maxRetryAfterMs is not
 * waited for: the message stays pending and the next scheduled run sends it.
 *
 * What one call can cost with the production policy: 5 tries, each up to the client's 30 s request timeout
 * (client.ts), and 4 waits of 2, 4, 8 and 16 s of backoff, each stretched to a Retry-After of up to 30 s: at worst
 * 5 x 30 + 4 x 30 = 270 s, and a message with a chart makes two such calls. That alone does not fit a function that
 * lives 540 s, so the delivery phase of a run has its own deadline (delivery-settings.ts, `deliveryDeadlineMs`): no
 * wait starts that would end past it, and what has not gone out by then stays pending for the next run.
 */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  tries: number;
  firstDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const fiveTriesInThirtySeconds: RetryPolicy = { tries: 5, firstDelayMs: 2_000, maxDelayMs: 16_000, maxRetryAfterMs: 30_000 };

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

/** Milliseconds since the epoch: Date.now in production, a clock the sleeps move in tests. */
export type Clock = () => number;

/**
 * Runs `call` until it succeeds, retryDelay gives up, or the next wait would end past `deadline` (a clock reading);
 * a call not started by the deadline is not tried at all. `onTry` counts every try (the ledger's attempts).
 * @throws {SlackCallFailed} with the last failure's reason and fix.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: { policy: RetryPolicy; sleep: Sleep; clock: Clock; deadline: number; channel: string; onTry: () => void },
): Promise<T> {
  if (options.clock() >= options.deadline) {
    const failure = { transient: true, retryAfterMs: null, reason: "not tried: the run's Slack delivery deadline had passed" };
    throw new SlackCallFailed(failure, 0, { cause: null });
  }
  for (let tried = 1; ; tried++) {
    options.onTry();
    try {
      return await call();
    } catch (error) {
      const failure = slackFailure(error, options.channel);
      const delay = retryDelay(options.policy, tried, failure);
      const late = delay !== null && options.clock() + delay > options.deadline;
      if (delay === null || late) {
        const tries = `${tried} ${tried === 1 ? 'try' : 'tries'}${late ? " before the run's Slack delivery deadline" : ''}`;
        const reason = failure.transient ? `${failure.reason}, ${tries}` : failure.reason;
        throw new SlackCallFailed({ ...failure, reason }, tried, { cause: error });
      }
      await options.sleep(delay);
    }
  }
}
