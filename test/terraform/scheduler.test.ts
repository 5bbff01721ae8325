import { describe, expect, it } from 'vitest';
import { declaredJobs } from '../../functions/scheduler/declared-jobs.js';
import { block, loadModule, moduleJson } from './support/module.js';

describe('the functions and their schedules in Terraform', async () => {
  const module = await loadModule();
  const fn = module.resource('google_cloudfunctions2_function', 'job');
  const job = module.resource('google_cloud_scheduler_job', 'job');
  const declaration = declaredJobs();

  it('makes one function and one scheduler job per entry of jobs.json, the declaration the code registers', () => {
    expect(module.locals.declared).toBe('${jsondecode(file("${path.module}/jobs.json"))}');
    expect(module.locals.jobs).toBe('${local.declared.jobs}');
    expect(fn.for_each).toBe('${local.jobs}');
    expect(job.for_each).toBe('${local.jobs}');
    expect(Object.keys(moduleJson('jobs.json').jobs)).toEqual(declaration.jobs.map((j) => j.name));
  });

  it('points each function at its registered entry point, built with Node 20 from the source archive', () => {
    expect(fn.name).toBe('${local.prefix}-${each.key}');
    expect(block(fn, 'build_config')).toMatchObject({ runtime: 'nodejs20', entry_point: '${each.value.function}' });
  });

  it('has every scheduler job call its own function with an OIDC token of the scheduler account', () => {
    const target = block(job, 'http_target');
    const functionUri = '${google_cloudfunctions2_function.job[each.key].service_config[0].uri}';
    expect(target).toMatchObject({ http_method: 'POST', uri: functionUri, headers: { 'Content-Type': 'application/json' } });
    expect(target.body).toBe('${base64encode("{}")}');
    expect(block(target, 'oidc_token')).toEqual({ service_account_email: '${google_service_account.scheduler.email}', audience: functionUri });
    expect(target).not.toHaveProperty('oauth_token');
  });

  it('schedules each job by jobs.json, in its time zone, unless overridden', () => {
    expect(job.schedule).toBe('${lookup(var.schedule_overrides, each.key, each.value.schedule)}');
    expect(job.time_zone).toBe('${local.time_zone}');
    expect(module.locals.time_zone).toBe('${coalesce(var.time_zone, local.declared.time_zone)}');
    expect(job.paused).toBe(false);
  });

  it('retries failed runs with backoff, and waits longer than a run may take', () => {
    expect(block(job, 'retry_config')).toMatchObject({
      retry_count: '${var.scheduler_retry_count}',
      min_backoff_duration: '60s',
      max_backoff_duration: '600s',
      max_doublings: 3,
    });
    expect(job.attempt_deadline).toBe('${var.function_timeout_seconds + 30}s');
    expect(block(fn, 'service_config').timeout_seconds).toBe('${var.function_timeout_seconds}');
  });

  it('runs one instance at a time per function, so a job never overlaps itself', () => {
    expect(block(fn, 'service_config')).toMatchObject({ max_instance_count: 1, max_instance_request_concurrency: 1 });
  });

  it('gives the functions the contract\'s environment, on BigQuery', () => {
    const env = module.locals.function_environment as string;
    for (const name of ['FINOPS_ENGINE', 'FINOPS_BQ_PROJECT', 'FINOPS_BQ_DATASET', 'FINOPS_BQ_LOCATION', 'FINOPS_REGION', 'SLACK_CHANNEL']) {
      expect(env).toContain(name);
    }
    expect(env).toContain('FINOPS_ENGINE      = "bigquery"');
    expect(block(fn, 'service_config').environment_variables).toBe('${local.function_environment}');
  });
});
