import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { viewNames, viewTemplate } from '../../functions/dashboard/views.js';
import { block, loadModule, moduleDir } from './support/module.js';

/**
 * The dashboard's views in Terraform (terraform/views.tf): one BigQuery view per file of sql/views/, its query
 * the file rendered for BigQuery (functions/dashboard/views.ts) and committed under terraform/views/, since
 * Terraform cannot expand the SQL macros. The rendered files must match their sources: after changing a view, run
 * `npx vitest run test/terraform/views.test.ts -u` to rewrite them.
 */

const renderedDir = join(moduleDir, 'views');

/** A rendered view as Terraform's templatefile() fills it in, for a project and a dataset. */
const filledIn = (template: string) => template.replaceAll('${project}', 'my-project').replaceAll('${dataset}', 'ai_finops');

describe('the dashboard views in Terraform', async () => {
  const module = await loadModule();
  const view = module.resource('google_bigquery_table', 'view');

  it('creates one view per rendered file, each named for its file', () => {
    expect(module.locals.view_dir).toBe('${path.module}/views');
    expect(module.locals.views).toBe('${sort([for file in fileset(local.view_dir, "*.sql") : trimsuffix(file, ".sql")])}');
    expect(view).toMatchObject({ for_each: '${toset(local.views)}', table_id: '${each.key}', dataset_id: '${google_bigquery_dataset.ledger.dataset_id}' });
    const rendered = readdirSync(renderedDir).filter((file) => file.endsWith('.sql')).map((file) => file.slice(0, -4)).sort();
    expect(rendered).toEqual(viewNames());
  });

  it('gives each view the rendered SQL, project and dataset filled in, as standard SQL', () => {
    const definition = block(view, 'view');
    expect(definition.use_legacy_sql).toBe(false);
    expect(definition.query).toBe(
      '${templatefile("${local.view_dir}/${each.key}.sql", { project = var.project_id, dataset = google_bigquery_dataset.ledger.dataset_id })}',
    );
  });

  it('creates the views after the tables they read, and never protects them from deletion (they hold no data)', () => {
    expect(view.depends_on).toEqual(['${google_bigquery_table.table}']);
    expect(view.deletion_protection).toBe(false);
  });

  it.each(viewNames())('has terraform/views/%s.sql up to date with its source in sql/views/', async (name) => {
    await expect(viewTemplate(name)).toMatchFileSnapshot(join(renderedDir, `${name}.sql`));
  });

  it.each(viewNames())('deploys %s as SQL that parses as BigQuery', (name) => {
    const sql = filledIn(readFileSync(join(renderedDir, `${name}.sql`), 'utf8'));
    expect(sql).not.toContain('${');
    expect(() => new nodeSqlParser.Parser().astify(sql, { database: 'BigQuery' })).not.toThrow();
  });

  it('outputs a Looker Studio link that connects every view as a BigQuery data source of the deployed dataset', () => {
    expect(module.outputs.looker_studio_url!.value).toBe('${local.looker_studio_url}');
    const url = module.locals.looker_studio_url as string;
    expect(url).toContain('https://lookerstudio.google.com/reporting/create?');
    expect(url).toContain('for index, view in local.views');
    for (const parameter of [
      'ds.ds${index}.connector=bigQuery',
      'ds.ds${index}.type=TABLE',
      'ds.ds${index}.projectId=${var.project_id}',
      'ds.ds${index}.datasetId=${google_bigquery_dataset.ledger.dataset_id}',
      'ds.ds${index}.tableId=${view}',
    ]) {
      expect(url).toContain(`"${parameter}"`);
    }
  });
});
