import type { Engine } from '../engine/engine.js';
import type { FinopsConfig } from '../config/finops-config.js';

/** What every job is given: its I/O passed in, so the CLI, the HTTP functions and the tests run the same code. */
export interface JobContext {
  engine: Engine;
  config: FinopsConfig;
  /** The job runs as if on the morning of this UTC day, over the days before it. */
  asOf: string;
  now: () => Date;
}

/** What a job prints with --json (CONTRACT.md): its name, its as-of day, its findings, then its own fields. */
export interface JobResult {
  job: string;
  as_of: string;
  findings: unknown[];
}
