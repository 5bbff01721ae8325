import { describe, expect, it } from 'vitest';
import { block, loadModule } from './support/module.js';

/** The HCL regex of var.invokers' validation, as JavaScript reads it (the pattern uses nothing RE2 and JS differ on). */
function invokerPattern(condition: string): RegExp {
  const match = /regex\("(.+?)", member\)/.exec(condition);
  if (!match) throw new Error(`no regex in ${condition}`);
  return new RegExp(match[1]!.replace(/\\\\/g, '\\'));
}

describe('who may do what, in Terraform', async () => {
  const module = await loadModule();
  const iamResources = module.resources().filter(([type]) => /_iam_(member|binding|policy)$/.test(type));

  it('names allUsers and allAuthenticatedUsers in no resource', () => {
    for (const [type, name, body] of module.resources()) {
      expect(JSON.stringify(body), `${type}.${name}`).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });

  it('grants only members, never whole bindings or policies that would replace others\'', () => {
    expect(iamResources.length).toBeGreaterThan(0);
    for (const [type] of iamResources) expect(type).toMatch(/_iam_member$/);
  });

  it('refuses allUsers, allAuthenticatedUsers and whole domains as invokers', () => {
    const [validation] = module.variables.invokers!.validation as { condition: string }[];
    const pattern = invokerPattern(validation!.condition);
    expect(['user:ana@example.com', 'group:oncall@example.com', 'serviceAccount:ci@p.iam.gserviceaccount.com'].every((m) => pattern.test(m))).toBe(true);
    for (const member of ['allUsers', 'allAuthenticatedUsers', 'domain:example.com', 'user:allUsers']) expect(pattern.test(member), member).toBe(false);
  });

  it('lets the scheduler account invoke these functions\' services only', () => {
    const invoke = module.resource('google_cloud_run_v2_service_iam_member', 'scheduler_invokes');
    expect(invoke).toMatchObject({
      for_each: '${local.jobs}',
      role: 'roles/run.invoker',
      member: 'serviceAccount:${google_service_account.scheduler.email}',
      name: '${google_cloudfunctions2_function.job[each.key].service_config[0].service}',
    });
    const invokerGrants = iamResources.filter(([, , body]) => body.role === 'roles/run.invoker');
    expect(invokerGrants.map(([type, name]) => `${type}.${name}`).sort()).toEqual([
      'google_cloud_run_v2_service_iam_member.ingest_invokers',
      'google_cloud_run_v2_service_iam_member.invokers',
      'google_cloud_run_v2_service_iam_member.scheduler_invokes',
    ]);
    expect(module.resource('google_cloud_run_v2_service_iam_member', 'invokers').member).toBe('${each.value.member}');
  });

  it('gives the runtime account data access on this dataset only and job-user on the project', () => {
    const runtime = 'serviceAccount:${google_service_account.runtime.email}';
    const grants = iamResources.filter(([, , body]) => body.member === runtime).map(([type, , body]) => [type, body.role]);
    expect(grants.sort()).toEqual([
      ['google_bigquery_dataset_iam_member', 'roles/bigquery.dataEditor'],
      ['google_project_iam_member', 'roles/bigquery.jobUser'],
      ['google_secret_manager_secret_iam_member', 'roles/secretmanager.secretAccessor'],
      ['google_secret_manager_secret_iam_member', 'roles/secretmanager.secretAccessor'],
    ]);
    expect(module.resource('google_bigquery_dataset_iam_member', 'runtime_edits_ledger').dataset_id).toBe('${google_bigquery_dataset.ledger.dataset_id}');
    expect(block(module.resource('google_cloudfunctions2_function', 'job'), 'service_config').service_account_email).toBe(
      '${google_service_account.runtime.email}',
    );
  });

  it('grants no basic role and no project-wide data role to anyone', () => {
    const projectRoles = iamResources.filter(([type]) => type === 'google_project_iam_member').map(([, , body]) => body.role);
    expect(projectRoles.sort()).toEqual(['${each.value}', 'roles/bigquery.jobUser']);
    const buildRoles = module.resource('google_project_iam_member', 'build').for_each;
    expect(buildRoles).toBe('${toset(["roles/artifactregistry.writer", "roles/logging.logWriter"])}');
    for (const { text } of module.files) expect(text).not.toMatch(/roles\/(owner|editor|viewer|bigquery\.admin|bigquery\.dataOwner)"/);
  });
});
