import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { onDemandCost } from '../../functions/cli/commands/estimate.js';
import { jobs } from '../../functions/jobs/registry.js';
import { cli } from '../support/cli.js';
import { useFakeBigQuery } from '../support/fake-bigquery.js';
import { tempFolder } from '../support/tmp.js';

/**
 * `ai-finops estimate JOB`, in process, against the fake BigQuery REST API on 127.0.0.1: the job's queries are
 * recorded on an empty in-memory ledger and each is dry-run; the fake answers a dry run with the bytes the test
 * decides (a whole TiB for each read of llm_calls, 1 MiB for anything else).
 */

const tib = 2 ** 40;
const mib = 2 ** 20;
const bytesOf = (query: string) => (query.includes('.llm_calls`') ? tib : mib);

describe('ai-finops estimate', () => {
  const bigquery = useFakeBigQuery();
  const folder = tempFolder();
  const config = folder.file('finops.config.yaml', 'version: 1\nbigquery:\n  maximum_bytes_billed:\n    rollup: 3000000000\n  on_demand_usd_per_tib: 5\n');
  afterAll(() => folder.remove());

  beforeEach(() => {
    bigquery.fake().reset();
    bigquery.fake().answerDryRuns(bytesOf);
    vi.stubEnv('FINOPS_ENGINE', 'bigquery');
    vi.stubEnv('FINOPS_BQ_PROJECT', 'test-project');
    vi.stubEnv('FINOPS_BQ_DATASET', 'finops');
    vi.stubEnv('FINOPS_BQ_API_ENDPOINT', bigquery.fake().apiEndpoint);
    vi.stubEnv('FINOPS_CONFIG', config);
  });

  it('dry-runs each query of the job, and runs none, with the JSON saying each one\'s bytes and cost and the total', async () => {
    const result = await cli('estimate', 'rollup', '--as-of', '2026-03-01', '--json');
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout);
    const inserts = bigquery.fake().requestsTo('jobs.insert');
    expect(inserts.length).toBeGreaterThan(0);
    expect(inserts.every((i) => i.body.configuration.dryRun === true)).toBe(true);
    expect(bigquery.fake().requestsTo('jobs.getQueryResults')).toEqual([]);

    const dryRuns = bigquery.fake().dryRuns;
    expect(estimate).toMatchObject({ job: 'rollup', as_of: '2026-03-01', usd_per_tib: '5' });
    expect(estimate.queries.map((q: { bytes: number }) => q.bytes)).toEqual(dryRuns.map((d) => d.bytes));
    expect(estimate.total_bytes).toBe(dryRuns.reduce((sum, d) => sum + d.bytes, 0));
    expect(estimate.queries.map((q: { query: string }) => q.query)).toEqual(
      expect.arrayContaining(['rollup/calls_by_day.sql', 'rollup/outcomes_by_day.sql', 'rollup/cost_per_outcome_by_day.sql']),
    );
    const at = estimate.queries.findIndex((q: { query: string }) => q.query === 'rollup/calls_by_day.sql');
    const bytes = dryRuns[at]!.bytes;
    expect(estimate.queries[at]).toEqual({ query: 'rollup/calls_by_day.sql', job_label: 'rollup', feature: null, bytes, cost_usd: onDemandCost(bytes, '5'), maximum_bytes_billed: 3_000_000_000, over_cap: bytes > 3_000_000_000 });
    const tibs = dryRuns.filter((d) => d.bytes === tib).length;
    expect(estimate.total_cost_usd).toBe(onDemandCost(tibs * tib + (dryRuns.length - tibs) * mib, '5'));
  });

  it("estimates a range replacement by its select, with the job's labels, and flags a query over the job's cap", async () => {
    const estimate = JSON.parse((await cli('estimate', 'rollup', '--as-of', '2026-03-01', '--json')).stdout);
    const [select] = bigquery.fake().dryRuns.filter((d) => d.query.includes('Grain: one row per day, feature, segment, provider and model'));
    expect(select?.query).not.toMatch(/begin transaction|delete from/);
    for (const insert of bigquery.fake().requestsTo('jobs.insert')) expect(insert.body.configuration.labels).toEqual({ app: 'ai-finops', job: 'rollup' });
    const overCap = estimate.queries.filter((q: { over_cap: boolean }) => q.over_cap);
    expect(overCap.length).toBeGreaterThan(0); // the reads of llm_calls: a TiB against rollup's 3 GB
    for (const q of estimate.queries) expect(q.over_cap).toBe(q.bytes > 3_000_000_000);
  });

  it('prints a table of the queries with their sizes, a total line and what an empty ledger leaves out', async () => {
    const result = await cli('estimate', 'detect', '--as-of', '2026-03-01');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('BigQuery dry run of detect as of 2026-03-01');
    expect(result.stdout).toMatch(/^detect\/pii_candidates\.sql\s+detect\s+1\.00 TiB\s+OVER 9\.31 GiB\s+\$5\.00$/m); // reads llm_calls
    expect(result.stdout).toContain('A query marked OVER scans more than its cap');
    expect(result.stdout).toMatch(/^findings\/findings_by_kind\.sql\s+detect\s+1\.00 MiB\s+9\.31 GiB\s+\$0\.0000$/m);
    expect(result.stdout).toMatch(/^total\s+\d+\.\d+ TiB\s+\$\d+\.\d\d$/m);
    expect(result.stdout).toContain('root-cause slices');
  });

  it.each(Object.keys(jobs))('estimates %s: every query it sends, each carrying its job label', async (job) => {
    const result = await cli('estimate', job, '--as-of', '2026-03-01', '--json');
    expect(result.code, result.stderr).toBe(0);
    const estimate = JSON.parse(result.stdout);
    expect(estimate.queries.length).toBeGreaterThan(0);
    expect(estimate.queries.length).toBe(bigquery.fake().dryRuns.length);
    for (const insert of bigquery.fake().requestsTo('jobs.insert')) expect(insert.body.configuration.labels.job).toMatch(/^[a-z-]+$/);
  });

  it('refuses a job that does not exist, listing the jobs', async () => {
    const result = await cli('estimate', 'rolup');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is no job "rolup"');
    for (const job of Object.keys(jobs)) expect(result.stderr).toContain(job);
  });

  it.each([
    { name: 'on DuckDB', env: { FINOPS_ENGINE: 'duckdb' } },
    { name: 'with no project', env: { FINOPS_BQ_PROJECT: '' } },
  ])('without BigQuery settings ($name) is a usage error naming the variables to set', async ({ env }) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const result = await cli('estimate', 'rollup');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set FINOPS_ENGINE=bigquery, FINOPS_BQ_PROJECT and FINOPS_BQ_DATASET/);
    expect(bigquery.fake().requests).toEqual([]);
  });
});

describe('the on-demand cost of a scan', () => {
  it.each([
    { bytes: tib, usdPerTib: '6.25', cost: '6.250000000' },
    { bytes: 10 * mib, usdPerTib: '6.25', cost: '0.000059605' }, // 10 MiB: 6.25 / 2^20 x 10 = 0.0000596046...
    { bytes: 0, usdPerTib: '6.25', cost: '0.000000000' },
  ])('$bytes bytes at $usdPerTib USD per TiB cost $cost', ({ bytes, usdPerTib, cost }) => {
    expect(onDemandCost(bytes, usdPerTib)).toBe(cost);
  });
});
