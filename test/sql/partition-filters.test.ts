import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryJobs } from '../../functions/config/config-schema.js';
import { loadFinopsConfig, type FinopsConfig } from '../../functions/config/finops-config.js';
import { dashboardInput } from '../../functions/dashboard/dashboard-input.js';
import { writeWorkload } from '../../functions/demo/workload.js';
import { replaceRangeScript } from '../../functions/engine/bigquery.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Engine } from '../../functions/engine/engine.js';
import { recordStatements, sqlFilePaths, statementName, type RecordedStatement } from '../../functions/engine/recording.js';
import { ackFinding, listFindings } from '../../functions/findings/store.js';
import { ingestBatch } from '../../functions/ingest/ingest-batch.js';
import { parseBatch } from '../../functions/ingest/parse-batch.js';
import type { JobContext } from '../../functions/jobs/context.js';
import { jobs } from '../../functions/jobs/registry.js';
import { loadFile } from '../../functions/ledger/load.js';
import { packageRoot } from '../../functions/paths.js';
import { readInvoiceCsv } from '../../functions/reconcile/invoice-csv.js';
import { runReconcile } from '../../functions/reconcile/reconcile.js';
import { chargebackOwners, chargebackReport } from '../../functions/reports/chargeback.js';
import { costPerOutcomeReport } from '../../functions/reports/cost-per-outcome.js';
import { focusReport } from '../../functions/reports/focus.js';
import { forecastAccuracyReport } from '../../functions/reports/forecast-accuracy.js';
import { tables } from '../../functions/schema/tables.js';
import { pendingDeliveries, readDeliveries } from '../../functions/slack/deliveries.js';
import { slacklessDelivery } from '../../functions/slack/delivery-settings.js';
import { render } from '../../functions/sql/dialect.js';
import { addDays } from '../../functions/time/days.js';
import { tempFolder } from '../support/tmp.js';
import { parseBigQuery, partitionReads } from './support/partition-reads.js';

/**
 * Every statement ai-finops sends, rendered for BigQuery, reads the partitions of its window only: each read of a
 * partitioned table (sql/schema/tables.json) bounds its partition column from below and from above in the same
 * select, so a job's cost grows with its window, not with the ledger's history (issue 9).
 *
 * The statements are not read from sql/ but recorded: every job, report, the reconciliation and the ingest path run
 * on a RecordingEngine over an in-memory DuckDB ledger, once empty and once holding the demo workload (whose seeded
 * spend anomalies make detect read the root-cause slices), so inline SQL in TypeScript is checked too, and only
 * what is really sent. The test also asserts that it saw a read of every shared query file, so a new query cannot
 * escape the check by not being run here.
 */

const tableRef = (name: string) => '`proj.ds.' + name + '`';
const end = '2026-03-01';
const folder = tempFolder();

/** Runs everything that queries the ledger, as of `asOf`, recording each statement. */
async function exercise(engine: Engine, config: FinopsConfig, asOf: string): Promise<void> {
  const now = () => new Date(`${asOf}T09:00:00Z`);
  const context: JobContext = { engine, config, asOf, now, delivery: slacklessDelivery(folder.dir) };
  for (const job of Object.values(jobs)) await job.run(context); // in the registry's order: rollup first
  const month = addDays(asOf, -1).slice(0, 7); // the last month that has begun
  await costPerOutcomeReport(engine, month);
  for (const by of chargebackOwners) await chargebackReport(engine, month, by);
  await focusReport(engine, config, month);
  await forecastAccuracyReport(engine);
  await dashboardInput(engine, config, month, now());
  await runReconcile(context, readInvoiceCsv(`month,provider,model,cost_usd\n${month},openai,gpt-4o-mini,1\n`, 'invoice.csv'), 'invoice.csv');
  const [finding] = await listFindings(engine);
  if (finding) await ackFinding(engine, finding.key, null, { asOf, now: now() });
  // The delivery ledger's reads, as a run with a Slack token makes them (this run has none, so it writes files).
  await readDeliveries(engine, ['digest:2026-02-23']);
  await pendingDeliveries(engine, ['digest', 'month-end', 'page', 'resolved']);
  const records = [{ ts: `${asOf}T08:00:00Z`, call_id: `ingest-${asOf}`, model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 5 }];
  const text = JSON.stringify(records);
  await ingestBatch(engine, parseBatch(Buffer.from(text), records, config.ingest), { limits: config.ingest, salt: undefined, negotiated: [] });
}

/** The demo workload's last 70 days (at half its volume), loaded by the real load path. */
async function seededLedger(): Promise<DuckDBEngine> {
  const duckdb = await DuckDBEngine.open();
  await duckdb.ensureTables();
  const files = await writeWorkload(duckdb, { dir: folder.dir, days: 70, endDate: end, seed: 7, scale: 0.5, format: 'ndjson' });
  await loadFile(duckdb, 'calls', files.callsFile);
  await loadFile(duckdb, 'outcomes', files.outcomesFile);
  return duckdb;
}

const config = await loadFinopsConfig(join(packageRoot, 'finops.config.example.yaml'));
const seeded = await seededLedger();
const statements: RecordedStatement[] = [
  ...(await recordStatements((engine) => exercise(engine, config, end))),
  ...(await recordStatements((engine) => exercise(engine, config, end), seeded)),
];
afterAll(async () => {
  await seeded.close();
  folder.remove();
});

/** The shared query files (not sql/duckdb/, run by DuckDB alone; not sql/views/, which Terraform deploys as views). */
const sharedFiles = sqlFilePaths().filter((file) => !['duckdb', 'views'].includes(file.split('/')[0]!));

/**
 * What BigQuery is sent for a statement, one SQL statement each: a query as rendered; a range replacement as the
 * engine's script (replaceRangeScript) without its `begin transaction` / `commit transaction` lines, which
 * node-sql-parser cannot parse and which read nothing: its bounded delete and its insert of the select.
 */
function sentStatements(statement: RecordedStatement): string[] {
  const sql = render(statement.template, 'bigquery', tableRef);
  if (statement.kind === 'query') return [sql];
  // Split where the script's own statements start: the select may hold a `;` in a comment.
  return replaceRangeScript(statement.table!, sql, tableRef)
    .split(/;\n(?=delete from |insert into |commit transaction;)/)
    .map((part) => part.replace(/;$/, ''))
    .filter((part) => !/^(begin|commit) transaction$/.test(part.trim()));
}

/** The distinct statements sent, grouped by source: the same file sent with other parameters renders the same. */
const bySource = new Map<string, Set<string>>();
for (const statement of statements) {
  const source = statementName(statement);
  const seen = bySource.get(source) ?? new Set();
  for (const sql of sentStatements(statement)) seen.add(sql);
  bySource.set(source, seen);
}

/**
 * BigQuery statements node-sql-parser 5.x cannot parse (see test/sql/bigquery-syntax.test.ts). The fallback is
 * narrow: such a statement must not name a partitioned table at all (these write the small unpartitioned tables,
 * findings and deliveries), so a partitioned read can never hide behind a parse failure.
 */
const unparseable = /^\s*merge\b/im;
const partitioned = Object.values(tables).filter((t) => t.partition).map((t) => t.name);

describe('the statements recorded from every job, report and the ingest path', () => {
  it('include a read of every shared query file in sql/', () => {
    const seen = new Set(statements.map(statementName));
    expect(sharedFiles.filter((file) => !seen.has(file))).toEqual([]);
  });

  it('each carry a job label, so their bytes are billed to a job', () => {
    const unlabelled = statements.filter((s) => !s.labels.job).map(statementName);
    expect(statements.length).toBeGreaterThan(50);
    expect(unlabelled).toEqual([]);
  });

  it('carry only job labels the config can give a cap of its own (bigquery.maximum_bytes_billed.<job>)', () => {
    const labels = new Set(statements.map((s) => s.labels.job));
    expect([...labels].filter((job) => !(queryJobs as readonly (string | undefined)[]).includes(job))).toEqual([]);
  });

  it("label each root-cause slice read with the anomaly's feature", () => {
    const slices = statements.filter((s) => statementName(s) === 'detect/spend_by_slice.sql');
    expect(slices.length).toBeGreaterThan(0);
    for (const slice of slices) {
      const { feature } = slice.params;
      const job = expect.stringMatching(/^(detect|anomalies|anomaly-scan)$/);
      expect(slice.labels).toEqual(feature === '' ? { job } : { job, feature }); // '': the calls with no feature
    }
  });
});

describe('every read of a partitioned table, rendered for BigQuery', () => {
  it.each([...bySource.keys()].sort())('%s bounds the partition column of each partitioned table it reads', (source) => {
    for (const sql of bySource.get(source)!) {
      let reads;
      try {
        reads = partitionReads(sql);
      } catch (error) {
        const names = partitioned.filter((name) => sql.includes(tableRef(name)));
        if (unparseable.test(sql) && names.length === 0) continue;
        throw new Error(`${source} could not be checked (${(error as Error).message}); it names ${names.join(', ') || 'no partitioned table'}:\n${sql}`);
      }
      const unbounded = reads.filter((r) => !(r.lower && r.upper)).map((r) => `${r.table}.${r.column}${r.lower ? '' : ' (no lower bound)'}${r.upper ? '' : ' (no upper bound)'}`);
      expect(unbounded, sql).toEqual([]);
    }
  });
});

describe('the partition check itself', () => {
  it("sees the bounded delete of each range replacement, as well as the select that refills it", () => {
    const reads = [...bySource.get('rollup/calls_by_day.sql')!].flatMap(partitionReads);
    expect(reads).toContainEqual({ table: 'calls_by_day', column: 'day', lower: true, upper: true });
    expect(reads.filter((r) => r.table !== 'calls_by_day').length).toBeGreaterThan(0);
  });

  it.each([
    { name: 'a range on the column counts', sql: 'select 1 from `p.d.llm_calls` where ts >= timestamp(@from) and ts < timestamp(@to)', bounded: true },
    { name: 'between counts', sql: 'select 1 from `p.d.calls_by_day` where day between date(@from) and date(@to)', bounded: true },
    { name: 'a bound written constant-first counts', sql: 'select 1 from `p.d.llm_calls` c where timestamp(@from) <= c.ts and c.ts < timestamp(@to)', bounded: true },
    { name: 'a lower bound alone does not', sql: 'select 1 from `p.d.llm_calls` where ts >= timestamp(@from)', bounded: false },
    { name: 'a range under an or does not', sql: 'select 1 from `p.d.llm_calls` where (ts >= timestamp(@from) and ts < timestamp(@to)) or feature = @f', bounded: false },
    { name: 'a range against another column does not', sql: 'select 1 from `p.d.llm_calls` where ts >= timestamp(@from) and ts < ingested_at', bounded: false },
    { name: "a range on another table's column does not", sql: 'select 1 from `p.d.llm_calls` c join `p.d.outcomes` o on o.outcome_id = c.outcome_id where c.ts >= timestamp(@a) and c.ts < timestamp(@b)', bounded: false },
    { name: 'a range in another CTE does not', sql: 'with a as (select ts from `p.d.llm_calls`) select ts from a where ts >= timestamp(@a) and ts < timestamp(@b)', bounded: false },
    { name: "a range in an update's from subquery is checked", sql: 'update `p.d.forecasts` f set actual_usd = s.x from (select 1 as x from `p.d.calls_by_day` where day >= date(@a)) s where f.run_date >= date(@a) and f.run_date < date(@b)', bounded: false },
  ])('$name', ({ sql, bounded }) => {
    const reads = partitionReads(sql);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.lower && r.upper)).toBe(bounded);
  });

  it('reads a delete of a partitioned table', () => {
    expect(partitionReads('delete from `p.d.calls_by_day` where day >= date(@a)')).toEqual([{ table: 'calls_by_day', column: 'day', lower: true, upper: false }]);
  });

  it('still needs its fallback: node-sql-parser still rejects merge', () => {
    expect(() => parseBigQuery('merge `p.d.findings` t using (select 1 as a) s on t.key = s.a when matched then update set kind = s.a')).toThrow();
  });
});
