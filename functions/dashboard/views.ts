import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sqlRoot } from '../paths.js';
import { render } from '../sql/dialect.js';
import { sqlFile } from '../sql/files.js';

/**
 * The dashboard's BigQuery views (sql/views/, one per file, named for its grain), rendered for Terraform. A view
 * is written like every other query, with one parameter, `@as_of`, the day it is read on: the tests run it on
 * DuckDB for a fixed day, and a BigQuery view, which cannot take parameters, reads it as `current_date()` (UTC),
 * so each view's date range moves with the calendar and stays a bounded range of partitions.
 *
 * The rendered text is a Terraform template: tables are written `${project}.${dataset}.name` and terraform/views.tf
 * fills both in with templatefile(). The rendered files live in terraform/views/ and are committed, because
 * Terraform cannot expand the SQL macros itself; test/terraform/views.test.ts fails when one is out of date.
 */

/** The views, by name (the file name without `.sql`), sorted. */
export function viewNames(): string[] {
  return readdirSync(join(sqlRoot, 'views'))
    .filter((file) => file.endsWith('.sql'))
    .map((file) => file.slice(0, -'.sql'.length))
    .sort();
}

/** The parameter a view may use, and what it becomes in BigQuery. */
const viewParams: Record<string, string> = { as_of: 'current_date()' };

const templateTable = (name: string) => '`${project}.${dataset}.' + name + '`';

/**
 * A view's SQL rendered for BigQuery as a Terraform template.
 * @throws {Error} when the view uses a parameter other than `@as_of`: a view has no way to receive it.
 */
export function viewTemplate(name: string): string {
  const sql = render(sqlFile(`views/${name}.sql`), 'bigquery', templateTable);
  const header = `-- Rendered from sql/views/${name}.sql by functions/dashboard/views.ts, with @as_of as current_date().`;
  // comment lines keep their @as_of: they explain the query in the terms of its source
  const lines = sql.split('\n').map((line) =>
    line.trimStart().startsWith('--')
      ? line
      : line.replace(/@([a-z_][a-z0-9_]*)/gi, (_match, param: string) => {
          const value = viewParams[param];
          if (value === undefined) throw new Error(`sql/views/${name}.sql uses @${param}: a view can use only @as_of (today in BigQuery)`);
          return value;
        }),
  );
  return [header, ...lines].join('\n');
}
