import nodeSqlParser from 'node-sql-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { DetectedFinding } from '../../functions/findings/finding.js';
import { ackFinding, listFindings, recordFindings } from '../../functions/findings/store.js';
import { upsertFindingsStatement } from '../../functions/findings/upsert-sql.js';
import { render } from '../../functions/sql/dialect.js';

const finding = (o: Partial<DetectedFinding> = {}): DetectedFinding => ({
  key: 'prompt_drift:search:summarize@v3',
  kind: 'prompt_drift',
  severity: 'warn',
  feature: 'search',
  subject: 'summarize@v3',
  first_seen: '2026-04-02T00:00:00Z',
  last_seen: '2026-05-31T00:00:00Z',
  impact_usd_month: '24.800000000',
  summary: "search's prompt summarize@v3 grew from 800 to 2,316 input tokens a call.",
  evidence: { growth: 1.89, model: 'gemini-2.5-flash' },
  ongoing: true,
  ...o,
});

const run = (seen: DetectedFinding[], day = '2026-06-01', resolves: DetectedFinding['kind'][] = ['prompt_drift', 'spend_anomaly']) => ({
  asOf: day,
  now: new Date(`${day}T03:00:00Z`),
  seen,
  resolves,
});

describe('the findings store', () => {
  let engine: DuckDBEngine;
  beforeEach(async () => {
    engine = await DuckDBEngine.open();
    await engine.ensureTables();
  });
  afterEach(() => engine.close());

  const table = () => engine.exec('select * from findings order by key');

  it('stores a new finding open, with the contract fields, money exact', async () => {
    const [stored] = await recordFindings(engine, run([finding()]));
    expect(stored).toMatchObject({ status: 'open', impact_usd_month: '24.800000000', detected_at: '2026-06-01T03:00:00Z', evidence: { growth: 1.89 } });
    expect(await table()).toEqual([
      expect.objectContaining({ key: 'prompt_drift:search:summarize@v3', first_seen: '2026-04-02T00:00:00.000Z', impact_usd_month: '24.800000000', status: 'open' }),
    ]);
  });

  it('leaves identical tables when a job records the same findings twice', async () => {
    await recordFindings(engine, run([finding(), finding({ key: 'spend_anomaly:support:2026-05-27', kind: 'spend_anomaly', ongoing: false })]));
    const first = await table();
    await recordFindings(engine, { ...run([finding(), finding({ key: 'spend_anomaly:support:2026-05-27', kind: 'spend_anomaly', ongoing: false })]), now: new Date('2026-06-01T04:00:00Z') });
    expect(await table()).toEqual(first);
  });

  it('updates a finding seen again in place, keeping its first_seen and detected_at', async () => {
    await recordFindings(engine, run([finding()]));
    await recordFindings(engine, run([finding({ first_seen: '2026-04-03T00:00:00Z', impact_usd_month: '30.000000000', last_seen: '2026-06-01T00:00:00Z' })], '2026-06-02'));
    expect(await table()).toEqual([
      expect.objectContaining({ first_seen: '2026-04-02T00:00:00.000Z', impact_usd_month: '30.000000000', detected_at: '2026-06-01T03:00:00.000Z', updated_at: '2026-06-02T03:00:00.000Z' }),
    ]);
  });

  it('resolves a finding a later run of a job that looks for its kind no longer sees', async () => {
    await recordFindings(engine, run([finding()]));
    await recordFindings(engine, run([], '2026-06-02'));
    expect((await table())[0]).toMatchObject({ status: 'resolved' });
  });

  it('does not resolve findings of kinds the job does not look for', async () => {
    await recordFindings(engine, run([finding()]));
    await recordFindings(engine, run([], '2026-06-02', ['retry_storm']));
    expect((await table())[0]).toMatchObject({ status: 'open' });
  });

  it('keeps an acked finding acked until its acked_until, then opens it again', async () => {
    await recordFindings(engine, run([finding()]));
    await ackFinding(engine, finding().key, '2026-06-03', { asOf: '2026-06-01', now: new Date('2026-06-01T09:00:00Z') });
    const [during] = await recordFindings(engine, run([finding()], '2026-06-03'));
    expect(during).toMatchObject({ status: 'acked', acked_until: '2026-06-03' });
    const [after] = await recordFindings(engine, run([finding()], '2026-06-04'));
    expect(after).toMatchObject({ status: 'open' });
  });

  it('refuses to ack a key it does not have, saying how to find one', async () => {
    await expect(ackFinding(engine, 'nope', null, { asOf: '2026-06-01', now: new Date() })).rejects.toThrow(/no finding has the key "nope".*ai-finops findings/);
  });

  it('lists findings open first, then by monthly impact, filtered by status', async () => {
    await recordFindings(engine, run([
      finding(),
      finding({ key: 'spend_anomaly:support:2026-05-27', kind: 'spend_anomaly', impact_usd_month: '100.000000000', ongoing: false }),
      finding({ key: 'spend_anomaly:search:2026-05-30', kind: 'spend_anomaly', impact_usd_month: '50.000000000' }),
    ]));
    expect((await listFindings(engine)).map((f) => f.key)).toEqual([
      'spend_anomaly:search:2026-05-30',
      'prompt_drift:search:summarize@v3',
      'spend_anomaly:support:2026-05-27',
    ]);
    expect((await listFindings(engine, 'resolved')).map((f) => f.key)).toEqual(['spend_anomaly:support:2026-05-27']);
  });

  it('writes many findings at once, in batches', async () => {
    const many = Array.from({ length: 450 }, (_, i) => finding({ key: `prompt_drift:f${i}:p` }));
    await recordFindings(engine, run(many));
    expect(await engine.exec('select count(*) as n from findings')).toEqual([{ n: 450 }]);
  });
});

describe('the findings MERGE, rendered for BigQuery', () => {
  it('merges on the key, and its source of rows parses as BigQuery SQL', () => {
    const { sql, params } = upsertFindingsStatement([{ key: 'a', kind: 'prompt_drift', impact_usd_month: '1.5', first_seen: '2026-01-01T00:00:00Z' }]);
    const rendered = render(sql, 'bigquery', (name) => '`proj.ds.' + name + '`');
    expect(rendered).toMatch(/^merge into `proj\.ds\.findings` as target/);
    expect(rendered).toContain('cast(@r0_impact_usd_month as numeric) as impact_usd_month');
    expect(params).toMatchObject({ r0_key: 'a', r0_summary: null });
    // node-sql-parser cannot parse MERGE (see test/sql/bigquery-syntax.test.ts); the select of rows it merges can be
    const source = rendered.slice(rendered.indexOf('(\n') + 2, rendered.indexOf('\n) as source'));
    expect(() => new nodeSqlParser.Parser().astify(source, { database: 'BigQuery' })).not.toThrow();
  });
});
