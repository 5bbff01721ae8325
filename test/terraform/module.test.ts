import { describe, expect, it } from 'vitest';
import { block, loadModule } from './support/module.js';

describe('the Terraform module', async () => {
  const module = await loadModule();

  it('has the standard files, each parsing as HCL', () => {
    expect(module.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['versions.tf', 'variables.tf', 'bigquery.tf', 'functions.tf', 'scheduler.tf', 'iam.tf', 'secrets.tf', 'outputs.tf']),
    );
    for (const { name, json } of module.parsed) expect(Object.keys(json).length, name).toBeGreaterThan(0);
  });

  it('pins Terraform and every provider to a version range', () => {
    const terraform = module.parsed.find((p) => p.name === 'versions.tf')!.json.terraform[0];
    expect(terraform.required_version).toMatch(/^>= \d+\.\d+\.\d+, < \d+\.\d+\.\d+$/);
    const providers = terraform.required_providers[0];
    expect(Object.keys(providers).sort()).toEqual(['archive', 'google']);
    for (const [name, spec] of Object.entries(providers as Record<string, { version: string }>)) {
      expect(spec.version, name).toMatch(/^~> \d+\.\d+$/);
    }
  });

  it.each(Object.keys(module.variables))('types and describes the variable %s', (name) => {
    const variable = module.variables[name]!;
    expect(variable.type, 'type').toMatch(/^\$\{(string|number|bool|list\(string\)|map\(string\))\}$/);
    expect(variable.description, 'description').toMatch(/^[A-Z].{20,}\.(\)|")?$/s);
  });

  it.each(['project_id', 'region', 'bigquery_location', 'dataset_id', 'schedule_overrides', 'time_zone', 'slack_channel', 'partition_expiration_days', 'invokers'])(
    'validates the variable %s, with a message saying what is expected',
    (name) => {
      const validations = module.variables[name]!.validation as { condition: string; error_message: string }[];
      expect(validations.length).toBeGreaterThan(0);
      for (const v of validations) {
        expect(v.condition).toContain(`var.${name}`);
        expect(v.error_message).toMatch(/must|may/);
      }
    },
  );

  it('asks only for the project and the region; everything else has a default', () => {
    const required = Object.entries(module.variables).filter(([, v]) => !('default' in v)).map(([name]) => name);
    expect(required.sort()).toEqual(['project_id', 'region']);
  });

  it('describes every output', () => {
    for (const [name, output] of Object.entries(module.outputs)) expect(output.description, name).toMatch(/^[A-Z]/);
  });

  it('builds the functions from an allow-list of the repository: code, SQL, package files, the job list and the config', () => {
    const source = module.data('archive_file', 'source');
    expect(source.source_dir).toBeUndefined();
    expect(JSON.stringify(source)).toContain('${local.source_files}');
    const files = String(module.locals.source_files);
    for (const part of ['functions/**/*.{ts,md}', 'sql/**/*.{sql,json,md}', 'package-lock.json', 'tsconfig.build.json', 'finops.config.yaml', 'terraform/jobs.json']) {
      expect(files).toContain(part);
    }
    // nothing that could hold data or secrets: no wildcard at the root, no tests, no local files
    expect(files).not.toMatch(/"\*\*|fileset\(local\.repository, "\*/);
    const fn = module.resource('google_cloudfunctions2_function', 'job');
    const storage = block(block(block(fn, 'build_config'), 'source'), 'storage_source');
    expect(storage.object).toBe('${google_storage_bucket_object.source.name}');
    expect(module.resource('google_storage_bucket_object', 'source').name).toContain('${data.archive_file.source.output_md5}');
    const bucket = module.resource('google_storage_bucket', 'source');
    expect(bucket).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
  });
});
