import { describe, expect, it } from 'vitest';
import { block, loadModule, moduleJson } from './support/module.js';

/** The ingest function in Terraform: deployed like the jobs, invoked only by var.ingest_invokers, keyed by a secret. */
describe('the ingest function in Terraform', async () => {
  const module = await loadModule();
  const fn = module.resource('google_cloudfunctions2_function', 'ingest');
  const service = block(fn, 'service_config');

  it('serves the ingest entry point from the same source, as the runtime account', () => {
    expect(fn.name).toBe('${local.prefix}-ingest');
    const build = block(fn, 'build_config');
    expect(build).toMatchObject({ runtime: 'nodejs20', entry_point: 'ingest' });
    expect(block(block(build, 'source'), 'storage_source').object).toBe('${google_storage_bucket_object.source.name}');
    expect(service).toMatchObject({
      service_account_email: '${google_service_account.runtime.email}',
      environment_variables: '${local.function_environment}',
      max_instance_count: '${var.ingest_max_instances}',
      max_instance_request_concurrency: 1,
    });
  });

  it('has no schedule: it is no job of jobs.json, and no scheduler job calls it', () => {
    expect(Object.values(moduleJson('jobs.json').jobs).map((job: any) => job.function)).not.toContain('ingest');
    for (const { text } of module.files) expect(text).not.toMatch(/google_cloudfunctions2_function\.ingest[^\n]*\.uri[\s\S]*oidc_token/);
    expect(module.resource('google_cloud_scheduler_job', 'job').for_each).toBe('${local.jobs}');
  });

  it('reads FINOPS_PII_SALT from Secret Manager and holds no other secret', () => {
    expect(block(service, 'secret_environment_variables')).toEqual({
      key: 'FINOPS_PII_SALT',
      project_id: '${var.project_id}',
      secret: '${google_secret_manager_secret.pii_salt.secret_id}',
      version: 'latest',
    });
    expect(module.resource('google_secret_manager_secret', 'pii_salt').secret_id).toBe('${local.prefix}-pii-salt');
    expect(module.locals.function_environment).not.toContain('FINOPS_PII_SALT');
    expect(module.outputs.add_pii_salt_command!.value).toMatch(
      /^openssl rand -hex 32 \| gcloud secrets versions add \$\{google_secret_manager_secret\.pii_salt\.secret_id\} .*--data-file=-$/,
    );
  });

  it('may be invoked by the principals of var.ingest_invokers only', () => {
    const grants = module
      .resources()
      .filter(([type, , body]) => type.endsWith('_iam_member') && String(body.name ?? '').includes('google_cloudfunctions2_function.ingest'));
    expect(grants.map(([type, name, body]) => [`${type}.${name}`, body.role, body.member, body.for_each])).toEqual([
      ['google_cloud_run_v2_service_iam_member.ingest_invokers', 'roles/run.invoker', '${each.value}', '${toset(var.ingest_invokers)}'],
    ]);
  });

  it('refuses allUsers, allAuthenticatedUsers and whole domains as ingest invokers', () => {
    const [validation] = module.variables.ingest_invokers!.validation as { condition: string; error_message: string }[];
    const pattern = new RegExp(/regex\("(.+?)", member\)/.exec(validation!.condition)![1]!.replace(/\\\\/g, '\\'));
    expect(['serviceAccount:gateway@p.iam.gserviceaccount.com', 'user:ana@example.com'].every((m) => pattern.test(m))).toBe(true);
    for (const member of ['allUsers', 'allAuthenticatedUsers', 'domain:example.com']) expect(pattern.test(member), member).toBe(false);
    expect(validation!.error_message).toMatch(/never public/);
  });
});
