import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlRoot } from '../../functions/paths.js';
import { tableNames } from '../../functions/schema/tables.js';
import { block, loadModule } from './support/module.js';

const schemaDir = join(sqlRoot, 'schema');
const tablesJson = JSON.parse(readFileSync(join(schemaDir, 'tables.json'), 'utf8')) as Record<string, any>;

/**
 * The tables Terraform will create: the table resource evaluated for each entry of tables.json, the way Terraform
 * evaluates its for_each. The test first checks that each argument is the plain reference it evaluates here, so
 * the evaluation cannot drift from the HCL.
 */
function plannedTables(): Record<string, { schema: unknown; clustering: string[] | null; require_partition_filter: boolean; time_partitioning: { type: string; field: string } | null }> {
  return Object.fromEntries(
    Object.entries(tablesJson).map(([key, value]) => [
      key,
      {
        schema: JSON.parse(readFileSync(join(schemaDir, `${key}.json`), 'utf8')),
        clustering: value.clustering.length > 0 ? value.clustering : null,
        require_partition_filter: value.requirePartitionFilter,
        time_partitioning: value.partition === null ? null : { type: value.partition.type, field: value.partition.field },
      },
    ]),
  );
}

describe('the BigQuery ledger in Terraform', async () => {
  const module = await loadModule();
  const table = module.resource('google_bigquery_table', 'table');

  it('reads every table and its layout from sql/schema/, the files the code uses', () => {
    expect(module.locals.schema_dir).toBe('${path.module}/../sql/schema');
    expect(module.locals.tables).toBe('${jsondecode(file("${local.schema_dir}/tables.json"))}');
    expect(table).toMatchObject({
      for_each: '${local.tables}',
      table_id: '${each.key}',
      schema: '${file("${local.schema_dir}/${each.key}.json")}',
      clustering: '${length(each.value.clustering) > 0 ? each.value.clustering : null}',
      require_partition_filter: '${each.value.requirePartitionFilter}',
      dataset_id: '${google_bigquery_dataset.ledger.dataset_id}',
    });
    const partitioning = block(table.dynamic, 'time_partitioning');
    expect(partitioning.for_each).toBe('${each.value.partition == null ? [] : [each.value.partition]}');
    expect(block(partitioning, 'content')).toMatchObject({ type: '${time_partitioning.value.type}', field: '${time_partitioning.value.field}' });
  });

  it('creates every table the code knows, each with a schema file', () => {
    const schemaFiles = readdirSync(schemaDir).filter((f) => f.endsWith('.json') && f !== 'tables.json').map((f) => f.replace(/\.json$/, ''));
    expect(Object.keys(tablesJson).sort()).toEqual([...tableNames].sort());
    expect(schemaFiles.sort()).toEqual([...tableNames].sort());
  });

  it('partitions llm_calls by day on ts, clusters it by feature and model, and requires a partition filter', () => {
    const llmCalls = plannedTables().llm_calls!;
    expect(llmCalls.time_partitioning).toEqual({ type: 'DAY', field: 'ts' });
    expect(llmCalls.clustering).toEqual(['feature', 'model']);
    expect(llmCalls.require_partition_filter).toBe(true);
    expect(llmCalls.schema).toEqual(expect.arrayContaining([{ name: 'ts', type: 'TIMESTAMP', mode: 'REQUIRED', description: expect.any(String) }]));
  });

  it('partitions every table on a DATE or TIMESTAMP column of its schema', () => {
    for (const [name, planned] of Object.entries(plannedTables())) {
      if (planned.time_partitioning === null) continue;
      const column = (planned.schema as { name: string; type: string }[]).find((c) => c.name === planned.time_partitioning!.field);
      expect(column?.type, name).toMatch(/^(DATE|TIMESTAMP)$/);
    }
  });

  it('lets only the raw tables\' partitions expire, and only when asked', () => {
    const content = block(block(table.dynamic, 'time_partitioning'), 'content');
    expect(content.expiration_ms).toBe('${contains(local.expiring_tables, each.key) ? local.partition_expiration_ms : null}');
    expect(module.locals.expiring_tables).toEqual(['llm_calls', 'outcomes', 'quarantine', 'loads']);
    expect(module.locals.partition_expiration_ms).toBe('${var.partition_expiration_days == null ? null : var.partition_expiration_days * 86400000}');
  });

  it('protects the tables from terraform destroy by default', () => {
    expect(table.deletion_protection).toBe('${var.deletion_protection}');
    expect(module.variables.deletion_protection!.default).toBe(true);
  });
});
