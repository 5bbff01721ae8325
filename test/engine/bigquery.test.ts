import diagnostics from 'node:diagnostics_channel';
import { BigQuery } from '@google-cloud/bigquery';
import { PassThroughClient } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BigQueryEngine,
  insertBatchSize,
  jobLabels,
  jobTimeoutMs,
  labelValue,
} from '../../functions/engine/bigquery.js';
import { configFrom } from '../support/ledger.js';
import { EngineError } from '../../functions/errors.js';
import { tableNames, type TableName } from '../../functions/schema/tables.js';
import { apiError, FakeBigQuery, type Answer, type Route } from '../support/fake-bigquery.js';

/**
 * The BigQuery engine against the real @google-cloud/bigquery client, pointed at a fake REST API on 127.0.0.1:
 * what these tests check is what actually goes over the wire and how real responses come back.
 */

let fake: FakeBigQuery;

beforeAll(async () => {
  fake = await FakeBigQuery.start();
  // Were anything to look for a GCE metadata server, it would land on the fake and show up as an `unknown` route.
  vi.stubEnv('GCE_METADATA_HOST', fake.host);
  vi.stubEnv('BIGQUERY_EMULATOR_HOST', undefined);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.stop();
});

function clientFor(server: FakeBigQuery): BigQuery {
  return new BigQuery({ projectId: 'test-project', apiEndpoint: server.apiEndpoint, authClient: new PassThroughClient() });
}

describe('the BigQuery engine', () => {
  let engine: BigQueryEngine;
  beforeEach(() => {
    fake.reset();
    engine = new BigQueryEngine({ projectId: 'test-project', dataset: 'finops', location: 'EU', bigquery: clientFor(fake) });
  });

  describe('runs a query as one job', () => {
    let job: any; // the jobs.insert body, as JSON
    beforeEach(async () => {
      await engine.query(
        `select count(*) as n from {{ table(llm_calls) }}
         where feature = @feature and {{ in_list(model, @models) }} and not {{ in_list(model, @excluded) }}
           and (@segment is null or segment = @segment) and attempt = @attempt and ts >= timestamp(@from)`,
        { feature: 'support', models: ['gpt-4o', 'claude'], excluded: [], segment: null, attempt: 1, from: '2026-03-01', unused: 'x' },
        { labels: { job: 'rollup', feature: 'Support Chat!' } },
      );
      job = fake.requestsTo('jobs.insert')[0]!.body;
    });

    it('renders table names as `project.dataset.table`', () => {
      expect(job.configuration.query.query).toContain('from `test-project.finops.llm_calls`');
    });

    it('uses standard SQL with named parameters', () => {
      expect(job.configuration.query.useLegacySql).toBe(false);
      // The client spells the mode in lowercase; the API takes it in any case.
      expect(job.configuration.query.parameterMode).toMatch(/^named$/i);
    });

    it.each([
      { name: 'feature', type: { type: 'STRING' }, value: { value: 'support' } },
      { name: 'models', type: { type: 'ARRAY', arrayType: { type: 'STRING' } }, value: { arrayValues: [{ value: 'gpt-4o' }, { value: 'claude' }] } },
      { name: 'excluded', type: { type: 'ARRAY', arrayType: { type: 'STRING' } }, value: { arrayValues: [] } },
      { name: 'segment', type: { type: 'STRING' }, value: { value: null } },
      { name: 'attempt', type: { type: 'INT64' }, value: { value: 1 } },
      { name: 'from', type: { type: 'STRING' }, value: { value: '2026-03-01' } },
    ])('sends @$name with type $type.type', ({ name, type, value }) => {
      const parameter = job.configuration.query.queryParameters.find((p: { name: string }) => p.name === name);
      expect(parameter).toEqual({ name, parameterType: type, parameterValue: value });
    });

    it('leaves out parameters the SQL does not mention', () => {
      const names = job.configuration.query.queryParameters.map((p: { name: string }) => p.name);
      expect(names).not.toContain('unused');
    });

    it('caps the bytes billed (by default 10 GB) and the run time', () => {
      expect(job.configuration.query.maximumBytesBilled).toBe('10000000000');
      expect(job.configuration.jobTimeoutMs).toBe(String(jobTimeoutMs));
    });

    it('labels the job with the app, the job and the feature, sanitized', () => {
      expect(job.configuration.labels).toEqual({ app: 'ai-finops', job: 'rollup', feature: 'support_chat_' });
    });

    it('runs in the dataset location', () => {
      expect(job.jobReference.location).toBe('EU');
    });

    it('reads the results of that same job', () => {
      const [results] = fake.requestsTo('jobs.getQueryResults');
      expect(results!.path).toBe(`/bigquery/v2/projects/test-project/queries/${job.jobReference.jobId}`);
    });
  });

  describe('returns values in the engine-neutral shape', () => {
    it.each([
      { type: 'NUMERIC', sent: '12.34', expected: '12.340000000' },
      { type: 'NUMERIC', sent: '-0.5', expected: '-0.500000000' },
      { type: 'NUMERIC', sent: '1000', expected: '1000.000000000' },
      { type: 'NUMERIC', sent: '0.000000001', expected: '0.000000001' },
      { type: 'NUMERIC', sent: '99999999999999999999999999999.999999999', expected: '99999999999999999999999999999.999999999' },
      { type: 'BIGNUMERIC', sent: '1.00000000000000000001', expected: '1.00000000000000000001' },
      { type: 'INT64', sent: '42', expected: 42 },
      { type: 'FLOAT64', sent: '0.25', expected: 0.25 },
      { type: 'BOOL', sent: 'true', expected: true },
      { type: 'STRING', sent: 'support', expected: 'support' },
      { type: 'DATE', sent: '2026-03-01', expected: '2026-03-01' },
      { type: 'TIMESTAMP', sent: '1772366400000000', expected: '2026-03-01T12:00:00.000Z' },
      { type: 'TIMESTAMP', sent: '1772366400123456', expected: '2026-03-01T12:00:00.123Z' },
      { type: 'NUMERIC', sent: null, expected: null },
    ])('$type $sent comes back as $expected', async ({ type, sent, expected }) => {
      fake.answerQueries({ schema: [{ name: 'x', type }], rows: [[sent]] });
      expect(await engine.query('select x')).toEqual([{ x: expected }]);
    });

    it('returns no rows as an empty list', async () => {
      fake.answerQueries({ schema: [{ name: 'x', type: 'INT64' }], rows: [] });
      expect(await engine.query('select 1 as x limit 0')).toEqual([]);
    });

    it('refuses an INT64 too large for a JavaScript number rather than rounding it', async () => {
      fake.answerQueries({ schema: [{ name: 'tokens', type: 'INT64' }], rows: [['9007199254740993']] });
      await expect(engine.query('select tokens')).rejects.toThrow(/column tokens .* cast it to STRING/);
    });

    it('refuses a column type the engine-neutral shape has no place for, naming a cast', async () => {
      fake.answerQueries({ schema: [{ name: 'at', type: 'DATETIME' }], rows: [['2026-03-01T12:00:00']] });
      await expect(engine.query('select at')).rejects.toThrow(/column at has BigQuery type DATETIME.*cast it/);
    });
  });

  describe('inserts rows with insertAll', () => {
    const call = (i: number) => ({ call_id: `c${i}`, ts: '2026-03-01T00:00:00.000Z', cost_usd: '0.1', not_a_column: 'x' });

    it(`sends ${insertBatchSize} rows per request, each with its call_id as insertId`, async () => {
      await engine.insertRows('llm_calls', Array.from({ length: 1201 }, (_, i) => call(i)));
      const batches = fake.requestsTo('tabledata.insertAll');
      expect(batches.map((b) => b.body.rows.length)).toEqual([500, 500, 201]);
      expect(batches[0]!.path).toBe('/bigquery/v2/projects/test-project/datasets/finops/tables/llm_calls/insertAll');
      const ids = batches.flatMap((b) => b.body.rows.map((r: { insertId: string }) => r.insertId));
      expect(ids).toEqual(Array.from({ length: 1201 }, (_, i) => `c${i}`));
    });

    it('sends only the columns of the table, missing ones as null', async () => {
      await engine.insertRows('llm_calls', [call(1)]);
      const [row] = fake.requestsTo('tabledata.insertAll')[0]!.body.rows;
      expect(row.json).not.toHaveProperty('not_a_column');
      expect(row.json).toMatchObject({ call_id: 'c1', cost_usd: '0.1', feature: null });
    });

    it('sends no insertId for a table without a unique key', async () => {
      await engine.insertRows('quarantine', [{ load_id: 'l1', reason: 'bad ts' }]);
      const [row] = fake.requestsTo('tabledata.insertAll')[0]!.body.rows;
      expect(row).not.toHaveProperty('insertId');
    });

    it('sends nothing for no rows', async () => {
      await engine.insertRows('llm_calls', []);
      expect(fake.requests).toEqual([]);
    });

    it.each([
      { table: 'llm_calls' as TableName, rows: [call(1), call(2)], named: 'row c2' },
      { table: 'quarantine' as TableName, rows: [{ load_id: 'l1' }, { load_id: 'l1' }], named: 'row number 2' },
    ])('names the first row of $table it rejects ($named) and the reason, without retrying', async ({ table, rows, named }) => {
      fake.answerNext('tabledata.insertAll', {
        status: 200,
        body: {
          insertErrors: [
            { index: 0, errors: [{ reason: 'stopped', message: '' }] },
            { index: 1, errors: [{ reason: 'invalid', message: 'Cannot convert value to timestamp' }] },
          ],
        },
      });
      const failure = await engine.insertRows(table, rows).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(EngineError);
      expect((failure as Error).message).toContain(`rejected ${named} of ${table} (invalid: Cannot convert value to timestamp)`);
      expect((failure as Error).cause).toHaveProperty('name', 'PartialFailureError');
      expect(fake.requestsTo('tabledata.insertAll')).toHaveLength(1);
    });
  });

  describe('replaces a range in one script', () => {
    it.each([
      { table: 'calls_by_day' as TableName, column: 'day', cast: 'date' },
      { table: 'outcomes' as TableName, column: 'ts', cast: 'timestamp' },
    ])('deletes and inserts $table by $column with $cast() in one transaction', async ({ table, column, cast }) => {
      await engine.replaceRange(
        table,
        { from: '2026-03-01', to: '2026-03-08' },
        'select * from {{ table(llm_calls) }} where ts >= timestamp(@from)',
        { from: '2026-02-28' },
        { labels: { job: 'rollup' } },
      );
      const jobs = fake.requestsTo('jobs.insert');
      expect(jobs).toHaveLength(1);
      const query = jobs[0]!.body.configuration.query;
      const target = '`test-project.finops.' + table + '`';
      const lines = (query.query as string).split('\n');
      expect(lines[0]).toBe('begin transaction;');
      expect(lines[1]).toBe(`delete from ${target} where ${column} >= ${cast}(@range_from) and ${column} < ${cast}(@range_to);`);
      expect(lines[2]).toMatch(new RegExp(`^insert into ${target.replace(/[.`]/g, '\\$&')} \\(${column}, `));
      expect(query.query).toContain('select * from `test-project.finops.llm_calls` where ts >= timestamp(@from)');
      expect(lines.at(-1)).toBe('commit transaction;');
      const params = Object.fromEntries(
        query.queryParameters.map((p: { name: string; parameterValue: { value: string } }) => [p.name, p.parameterValue.value]),
      );
      expect(params).toEqual({ from: '2026-02-28', range_from: '2026-03-01', range_to: '2026-03-08' });
      expect(jobs[0]!.body.configuration.labels).toEqual({ app: 'ai-finops', job: 'rollup' });
    });

    it('refuses a table without a partition column before sending anything', async () => {
      await expect(engine.replaceRange('findings', { from: '2026-03-01', to: '2026-03-02' }, 'select 1')).rejects.toThrow(
        /findings has no partition column/,
      );
      expect(fake.requests).toEqual([]);
    });
  });

  describe('creates its tables', () => {
    it('with schema, day partitioning, clustering and the partition filter requirement', async () => {
      await engine.ensureTables();
      const created = fake.requestsTo('tables.insert').map((r) => r.body);
      const calls = created.find((t) => t.tableReference.tableId === 'llm_calls');
      expect(calls.timePartitioning).toEqual({ type: 'DAY', field: 'ts' });
      expect(calls.clustering).toEqual({ fields: ['feature', 'model'] });
      expect(calls.requirePartitionFilter).toBe(true);
      expect(calls.schema.fields[0]).toMatchObject({ name: 'ts', type: 'TIMESTAMP', mode: 'REQUIRED' });
      const pending = created.find((t) => t.tableReference.tableId === 'pending_days');
      expect(pending).not.toHaveProperty('timePartitioning');
      expect(pending).not.toHaveProperty('clustering');
    });

    it('and can do so twice, as tables that already exist are left alone', async () => {
      await engine.ensureTables();
      await engine.ensureTables();
      expect(fake.tables.size).toBe(tableNames.length);
    });
  });

  describe('rewrites BigQuery errors into EngineErrors that say what to check', () => {
    const cases: { name: string; route: Route; answer: Answer; hint: RegExp }[] = [
      {
        name: 'access denied to the dataset',
        route: 'jobs.insert',
        answer: apiError(403, 'accessDenied', 'Access Denied: Dataset test-project:finops'),
        hint: /FINOPS_BQ_PROJECT \(test-project\), FINOPS_BQ_DATASET \(finops\).*roles\/bigquery\.jobUser/,
      },
      {
        name: 'a dataset that does not exist',
        route: 'jobs.insert',
        answer: apiError(404, 'notFound', 'Not found: Dataset test-project:finops'),
        hint: /FINOPS_BQ_DATASET \(finops\).*terraform apply/,
      },
      {
        name: 'a query over the bytes guardrail',
        route: 'jobs.getQueryResults',
        answer: apiError(400, 'bytesBilledLimitExceeded', 'Query exceeded limit for bytes billed: 10000000000.'),
        hint: /cap of 10000000000 bytes \(9\.31 GiB, bigquery\.maximum_bytes_billed\.default\).*partition column/,
      },
      {
        name: 'invalid SQL',
        route: 'jobs.getQueryResults',
        answer: apiError(400, 'invalidQuery', 'Syntax error: Unexpected keyword FROM at [1:8]'),
        hint: /template in sql\//,
      },
    ];

    it.each(cases)('$name', async ({ route, answer, hint }) => {
      fake.answerNext(route, answer);
      const failure = await engine.query('select 1 as x').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(EngineError);
      expect(failure).toHaveProperty('code', 'engine_failed');
      expect((failure as Error).message).toMatch(hint);
      expect((failure as Error).cause).toHaveProperty('code', answer.status);
    });

    it('when creating a table fails for a reason other than existing already', async () => {
      fake.answerNext('tables.insert', apiError(403, 'accessDenied', 'Access Denied: Dataset test-project:finops'));
      await expect(engine.ensureTables()).rejects.toThrow(/creating table llm_calls failed[\s\S]*roles\/bigquery\.dataEditor/);
    });
  });
});

describe("each job's cap on bytes billed, from the config", () => {
  const caps = configFrom('version: 1\nbigquery:\n  maximum_bytes_billed:\n    default: 2000000000\n    detect: 60000000000\n').bigquery.maximum_bytes_billed;
  let engine: BigQueryEngine;
  beforeEach(() => {
    fake.reset();
    engine = new BigQueryEngine({ projectId: 'test-project', dataset: 'finops', bigquery: clientFor(fake), maximumBytesBilled: caps });
  });

  const range = 'from {{ table(llm_calls) }} where ts >= timestamp(@from) and ts < timestamp(@to)';
  const params = { from: '2026-03-01', to: '2026-03-02' };

  it.each([
    { job: 'detect', feature: 'support_bot', cap: '60000000000', labels: { app: 'ai-finops', job: 'detect', feature: 'support_bot' } },
    { job: 'rollup', feature: undefined, cap: '2000000000', labels: { app: 'ai-finops', job: 'rollup' } },
  ])('a $job query goes out with a cap of $cap bytes and its labels', async ({ job, feature, cap, labels }) => {
    await engine.query(`select count(*) as n ${range}`, params, { labels: { job, ...(feature ? { feature } : {}) } });
    const [insert] = fake.requestsTo('jobs.insert');
    expect(insert!.body.configuration.query.maximumBytesBilled).toBe(cap);
    expect(insert!.body.configuration.labels).toEqual(labels);
  });

  it("a range replacement goes out under its job's cap too", async () => {
    await engine.replaceRange('calls_by_day', params, `select * ${range}`, params, { labels: { job: 'detect' } });
    expect(fake.requestsTo('jobs.insert')[0]!.body.configuration.query.maximumBytesBilled).toBe('60000000000');
  });

  it.each([
    { job: 'detect', hint: /job detect would bill more than its cap of 60000000000 bytes \(55\.9 GiB, bigquery\.maximum_bytes_billed\.detect\)[\s\S]*raise bigquery\.maximum_bytes_billed\.detect in the config/ },
    { job: 'rollup', hint: /job rollup would bill more than its cap of 2000000000 bytes \(1\.86 GiB, bigquery\.maximum_bytes_billed\.default\)[\s\S]*set bigquery\.maximum_bytes_billed\.rollup \(this job only\) or raise bigquery\.maximum_bytes_billed\.default/ },
  ])('a $job query refused for its bytes names the cap that applied and the key that raises it', async ({ job, hint }) => {
    fake.answerNext('jobs.getQueryResults', apiError(400, 'bytesBilledLimitExceeded', 'Query exceeded limit for bytes billed: 1.'));
    const failure = await engine.query(`select count(*) as n ${range}`, params, { labels: { job } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toMatch(hint);
  });

  it('a cap for a job label that does not exist is refused with the closest one', () => {
    expect(() => configFrom('version: 1\nbigquery:\n  maximum_bytes_billed:\n    detet: 60000000000\n')).toThrow(/bigquery\.maximum_bytes_billed.*detet.*did you mean detect\?/);
  });

  it('a dry run sends the rendered query with dryRun and its labels, no cap, and returns the bytes BigQuery would process', async () => {
    fake.answerDryRuns(() => 123_456_789);
    const estimate = await engine.dryRun(`select count(*) as n ${range}`, params, { labels: { job: 'detect' } });
    expect(estimate).toEqual({ bytes: 123_456_789 });
    const [insert] = fake.requestsTo('jobs.insert');
    expect(insert!.body.configuration).toMatchObject({ dryRun: true, labels: { job: 'detect' } });
    expect(insert!.body.configuration.query).not.toHaveProperty('maximumBytesBilled'); // a query over its cap still gets its figure
    expect(fake.dryRuns).toEqual([{ query: expect.stringContaining('from `test-project.finops.llm_calls`'), bytes: 123_456_789 }]);
    expect(fake.requestsTo('jobs.getQueryResults')).toEqual([]); // nothing runs
  });
});

describe('BigQuery job labels', () => {
  it.each([
    { name: 'a valid value stays as it is', given: 'rollup', expected: 'rollup' },
    { name: 'capitals are lowered and other characters become _', given: 'Support Chat!', expected: 'support_chat_' },
    { name: 'letters outside a-z become _', given: 'café', expected: 'caf_' },
    { name: 'a value is cut to 63 characters', given: 'a'.repeat(70), expected: 'a'.repeat(63) },
  ])('$name', ({ given, expected }) => {
    expect(labelValue(given)).toBe(expected);
  });

  it('always carry app: ai-finops, which a caller cannot override', () => {
    expect(jobLabels({ app: 'other', job: 'digest' })).toEqual({ app: 'ai-finops', job: 'digest' });
  });
});

describe('a BigQuery engine built for a plain-http endpoint', () => {
  it('sends every request to 127.0.0.1, with no credentials and no metadata server', async () => {
    fake.reset();
    const hosts: string[] = [];
    const onHttp = (message: unknown) => hosts.push((message as { request: { host: string } }).request.host);
    const onFetch = (message: unknown) => hosts.push(new URL((message as { request: { origin: string } }).request.origin).hostname);
    diagnostics.subscribe('http.client.request.start', onHttp);
    diagnostics.subscribe('undici:request:create', onFetch);
    try {
      const engine = new BigQueryEngine({ projectId: 'test-project', dataset: 'finops', apiEndpoint: fake.apiEndpoint });
      await engine.ensureTables();
      await engine.insertRows('outcomes', [{ outcome_id: 'o1' }]);
      await engine.query('select 1 as x');
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onHttp);
      diagnostics.unsubscribe('undici:request:create', onFetch);
    }
    expect(hosts.length).toBeGreaterThan(0);
    expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
    expect(fake.requestsTo('unknown')).toEqual([]);
    expect(fake.requests.every((r) => r.path.startsWith('/bigquery/v2/projects/test-project/'))).toBe(true);
  });
});
