/**
 * The project's error types. Each carries a stable `code` and, where another error caused it, that error as
 * `cause`, so a log line or a test can tell failures apart without parsing messages. Messages say what to do next.
 * Only entry points (the CLI, the HTTP functions) catch these, print them and choose an exit code or status.
 */

export type ErrorCode = 'bad_config' | 'bad_usage' | 'bad_input' | 'engine_failed' | 'not_found' | 'delivery_failed';

export class FinopsError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A setting (environment variable, config key, flag value) is missing or wrong. */
export class ConfigError extends FinopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_config', message, options);
  }
}

/** The command line was used wrongly: exit code 2. */
export class UsageError extends FinopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_usage', message, options);
  }
}

/** An input file or record cannot be read at all (as opposed to single bad rows, which are quarantined). */
export class InputError extends FinopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_input', message, options);
  }
}

/** The SQL engine failed; `cause` holds the driver's own error. */
export class EngineError extends FinopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('engine_failed', message, options);
  }
}

/** A Slack delivery still failed after its retries: it stays pending in the ledger and the next run sends it. */
export class DeliveryError extends FinopsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('delivery_failed', message, options);
  }
}
