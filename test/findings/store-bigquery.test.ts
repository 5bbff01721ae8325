import { describe, expect, it } from 'vitest';
import { recordFindings } from '../../functions/findings/store.js';
import { useFakeBigQuery } from '../support/fake-bigquery.js';

/**
 * The findings store on BigQuery, through the real client against the fake REST API: what goes over the wire.
 * Findings are written with DML (a MERGE), never streamed: rows in BigQuery's streaming buffer cannot be updated
 * for about half an hour, and a finding is updated by the next run.
 */

const bigQuery = useFakeBigQuery();

describe('the findings store on BigQuery', () => {
  it('reads the stored findings of the kinds it judges, then MERGEs what changed, with typed parameters', async () => {
    const engine = bigQuery.engine();
    const fake = bigQuery.fake();
    await recordFindings(engine, {
      asOf: '2026-06-01',
      now: new Date('2026-06-01T03:00:00Z'),
      resolves: ['prompt_drift'],
      seen: [
        {
          key: 'prompt_drift:search:summarize@v3', kind: 'prompt_drift', severity: 'warn', feature: 'search', subject: 'summarize@v3',
          first_seen: '2026-04-02T00:00:00Z', last_seen: '2026-05-31T00:00:00Z', impact_usd_month: '24.800000000',
          summary: 'grew.', evidence: { growth: 1.89 }, ongoing: true,
        },
      ],
    });
    const [read, merge] = fake.requestsTo('jobs.insert').map((r) => r.body.configuration.query);
    expect(read.query).toMatch(/from `test-project\.finops\.findings`\s+where kind in unnest\(@kinds\)/);
    expect(merge.query).toMatch(/^merge into `test-project\.finops\.findings` as target\nusing \(/);
    expect(merge.query).toContain('cast(@r0_impact_usd_month as numeric) as impact_usd_month');
    const params = Object.fromEntries(merge.queryParameters.map((p: any) => [p.name, p.parameterValue.value ?? null]));
    expect(params).toMatchObject({ r0_key: 'prompt_drift:search:summarize@v3', r0_impact_usd_month: '24.800000000', r0_status: 'open', r0_acked_until: null });
    expect(fake.requestsTo('tabledata.insertAll')).toEqual([]);
  });
});
