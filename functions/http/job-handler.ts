import type { HttpFunction } from '@google-cloud/functions-framework';
import { loadFinopsConfig, resolveConfigPath, type FinopsConfig } from '../config/finops-config.js';
import { parseSettings, type Settings } from '../config/settings.js';
import { openEngine } from '../engine/open.js';
import { ConfigError, FinopsError, InputError } from '../errors.js';
import { jobs } from '../jobs/registry.js';
import { functionJobContext } from './job-context.js';
import { jsonLogger, type Logger } from './log.js';
import { runRequest } from './run-request.js';

/**
 * One HTTP function for one job of functions/jobs/registry.ts: the same job code the CLI runs, on the engine the
 * environment names (BigQuery when deployed). Cloud Scheduler calls it with `{}`; a person may POST
 * `{"asOf": "YYYY-MM-DD"}` to re-run a past day, with `"force": true` to post its Slack messages again.
 *
 * Answers. Cloud Scheduler retries any answer but 2xx, a 400 included, per its retry config: every job is idempotent,
 * so retrying a 5xx is safe, and retrying a 400 is harmless: a 400 runs nothing, so each retry only meets the same
 * 400 again (and the scheduler's own `{}` is never refused; a 400 answers a person's bad body).
 *
 * | status | when                                                                 | body                     |
 * |--------|----------------------------------------------------------------------|--------------------------|
 * | 200    | the job ran                                                          | the job's JSON, as --json |
 * | 400    | the body is not `{"asOf": "YYYY-MM-DD", "force": true|false}`       | `{"error": {...}}`       |
 * | 405    | not a POST                                                           | `{"error": {...}}`       |
 * | 500    | bad settings or config, the engine or the job failed                 | `{"error": {...}}`       |
 *
 * The environment and the config file are read once per instance, on the first request: a bad setting then fails
 * that request (and each after it) with a log line naming the variable, instead of a crash loop at start.
 */

export interface JobHandlerOptions {
  /** The environment to read the settings from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  log?: Logger;
}

export interface Setup {
  settings: Settings;
  config: FinopsConfig;
}

/** @throws ConfigError when `name` is not a job, so a function declared for a missing job fails at deploy. */
export function jobHandler(name: string, options: JobHandlerOptions = {}): HttpFunction {
  const job = jobs[name];
  if (!job) throw new ConfigError(`there is no job "${name}" to serve: the jobs are ${Object.keys(jobs).join(', ')}`);
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? jsonLogger();
  let setup: Promise<Setup> | undefined;

  return async (request, response) => {
    const started = Date.now();
    if (request.method !== 'POST') {
      response.set('Allow', 'POST');
      response.status(405).json(errorBody(new InputError(`${request.method} is not allowed: POST to run the job`)));
      return;
    }
    let asOf: string;
    let force: boolean;
    try {
      ({ asOf, force } = runRequest(request.body, now()));
    } catch (error) {
      // the message quotes the value the caller sent: the caller reads it in the 400 body, the log never holds it
      const code = error instanceof FinopsError ? error.code : 'unexpected';
      log('WARNING', `${name}: bad request body (answered 400 with the reason)`, { job: name, error: code, status: 400 });
      response.status(400).json(errorBody(error));
      return;
    }
    log('INFO', `${name} started for ${asOf}${force ? ', force' : ''}`, { job: name, as_of: asOf, force });
    try {
      setup ??= readSetup(env);
      const { settings, config } = await setup;
      const engine = await openEngine(settings, settings.duckdbPath, config);
      try {
        const result = await job.run(functionJobContext({ engine, config, settings, asOf, force, now }));
        const duration = Date.now() - started;
        log('INFO', `${name} done for ${asOf}: ${result.findings.length} findings in ${duration} ms`, {
          job: name,
          as_of: asOf,
          findings: result.findings.length,
          duration_ms: duration,
          status: 200,
        });
        response.status(200).json(result);
      } finally {
        await engine.close();
      }
    } catch (error) {
      const failure = error instanceof FinopsError ? error : undefined;
      log('ERROR', `${name} failed for ${asOf}: ${(error as Error).message}`, {
        job: name,
        as_of: asOf,
        error: failure?.code ?? 'unexpected',
        duration_ms: Date.now() - started,
        status: 500,
      });
      response.status(500).json(errorBody(error));
    }
  };
}

export async function readSetup(env: NodeJS.ProcessEnv): Promise<Setup> {
  const settings = parseSettings(env);
  const config = await loadFinopsConfig(resolveConfigPath(undefined, env, process.cwd()));
  return { settings, config };
}

/** The error for the caller: the project's code and message; an unexpected error's message only, never its stack. */
export function errorBody(error: unknown): { error: { code: string; message: string } } {
  const code = error instanceof FinopsError ? error.code : 'unexpected';
  return { error: { code, message: (error as Error).message ?? String(error) } };
}
