import { describe, expect, it } from 'vitest';
import { block, loadModule, moduleDir } from './support/module.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the Slack token in Terraform', async () => {
  const module = await loadModule();
  const service = block(module.resource('google_cloudfunctions2_function', 'job'), 'service_config');

  it('reaches the functions only as a secret environment variable from Secret Manager', () => {
    expect(block(service, 'secret_environment_variables')).toEqual({
      key: 'SLACK_BOT_TOKEN',
      project_id: '${var.project_id}',
      secret: '${google_secret_manager_secret.slack_bot_token.secret_id}',
      version: 'latest',
    });
    expect(module.locals.function_environment).not.toContain('SLACK_BOT_TOKEN');
  });

  it('never holds the token: no secret version, no variable, no output carries it', () => {
    expect(module.resources().filter(([type]) => type === 'google_secret_manager_secret_version')).toEqual([]);
    expect(Object.keys(module.variables).filter((name) => /token|secret|key/i.test(name))).toEqual([]);
    for (const [name, output] of Object.entries(module.outputs)) {
      expect(String(output.value), name).not.toMatch(/secret_data|secret_manager_secret_version/);
    }
  });

  it('documents the one command that adds the token, reading it from the shell, not the command line', () => {
    const command = module.outputs.add_slack_token_command!.value as string;
    expect(command).toMatch(/^printf '%s' "\$SLACK_BOT_TOKEN" \| gcloud secrets versions add \$\{google_secret_manager_secret\.slack_bot_token\.secret_id\} .*--data-file=-$/);
    expect(readFileSync(join(moduleDir, 'README.md'), 'utf8')).toContain('gcloud secrets versions add');
  });

  it('lets only the runtime account read the secret (and the PII salt, test/terraform/ingest.test.ts)', () => {
    const accessors = module.resources().filter(([, , body]) => body.role === 'roles/secretmanager.secretAccessor');
    expect(accessors.map(([, , body]) => [body.secret_id, body.member]).sort()).toEqual([
      ['${google_secret_manager_secret.pii_salt.id}', 'serviceAccount:${google_service_account.runtime.email}'],
      ['${google_secret_manager_secret.slack_bot_token.id}', 'serviceAccount:${google_service_account.runtime.email}'],
    ]);
  });
});

describe('the example variables', () => {
  const example = readFileSync(join(moduleDir, 'examples', 'terraform.tfvars.example'), 'utf8');

  it('hold placeholders only, for every variable the module requires', () => {
    expect(example).toMatch(/^project_id = "your-project-id"$/m);
    expect(example).toMatch(/^region {5}= "[a-z]+-[a-z]+\d"$/m);
    expect(example).not.toMatch(/xox[abp]-/);
  });
});
