import type { Engine } from '../engine/engine.js';
import type { FinopsConfig } from '../config/finops-config.js';
import type { DeliverySettings } from '../slack/delivery-settings.js';

/** What every job is given: its I/O passed in, so the CLI, the HTTP functions and the tests run the same code. */
export interface JobContext {
  engine: Engine;
  config: FinopsConfig;
  /** The job runs as if on the morning of this UTC day, over the days before it. */
  asOf: string;
  now: () => Date;
  /** How Slack messages go out (post, or write under --out); absent: jobs build their messages and deliver none. */
  delivery?: DeliverySettings;
}

/** What a job prints with --json (CONTRACT.md): its name, its as-of day, its findings, then its own fields. */
export interface JobResult {
  job: string;
  as_of: string;
  findings: unknown[];
}
