import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewNames, viewTemplate } from '../../functions/dashboard/views.js';
import type { Row } from '../../functions/engine/engine.js';
import { chargebackReport } from '../../functions/reports/chargeback.js';
import { costPerOutcomeReport } from '../../functions/reports/cost-per-outcome.js';
import { sqlFile } from '../../functions/sql/files.js';
import { dashboardLedger, hostileFeature, hostileSegment } from './fixture.js';

type Ledger = Awaited<ReturnType<typeof dashboardLedger>>;

/**
 * The Looker Studio views (sql/views/), run on DuckDB with the rows of the dashboard fixture (February 1 to March
 * 21, 2026) for a fixed as-of day: each agrees with the report the CLI prints for the same month, and reads only
 * the thirteen months up to its as-of day.
 */
describe('the dashboard views', () => {
  let ledger: Ledger;
  const view = (name: string, asOf: string) => ledger.engine.query(sqlFile(`views/${name}.sql`), { as_of: asOf });
  const inMonth = (rows: Row[], month: string) => rows.filter((r) => String(r.month) === `${month}-01`);
  beforeAll(async () => {
    ledger = await dashboardLedger();
  }, 60_000);
  afterAll(() => ledger.close());

  it('are the five the dashboard needs', () => {
    expect(viewNames()).toEqual([
      'chargeback_by_month_and_segment',
      'cost_per_outcome_by_month_and_feature',
      'latest_forecast_by_scope_and_month',
      'open_findings_by_impact',
      'spend_by_month_segment_and_model',
    ]);
  });

  it.each(['2026-02', '2026-03'])('cost per outcome per feature agrees with the cost-per-outcome report for %s, trend included', async (month) => {
    const rows = inMonth(await view('cost_per_outcome_by_month_and_feature', '2026-03-22'), month);
    const report = await costPerOutcomeReport(ledger.engine, month);
    const fields = (r: Row | object) => {
      const row = r as Record<string, unknown>;
      return [row.feature, row.spend_usd, row.calls, row.outcomes, row.cost_per_outcome_usd, row.spend_this_week_usd, row.spend_last_week_usd];
    };
    const byFeature = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(rows.map(fields).sort(byFeature)).toEqual(report.map(fields).sort(byFeature));
    for (const row of report) {
      const mine = rows.find((r) => r.feature === row.feature)!;
      expect(mine.spend_wow_change).toBeCloseTo(row.spend_wow_change ?? NaN, 9);
    }
  });

  it('sees the rise in chat spend between the last week of February and the first of March', async () => {
    // March's last 7 rolled-up days (15 to 21) against 8 to 14: flat; February's 22 to 28 against 15 to 21: flat;
    // as of March 8 the month has 7 days ($2 a day) against February's last 7 ($1 a day)
    const [chat] = inMonth(await view('cost_per_outcome_by_month_and_feature', '2026-03-08'), '2026-03').filter((r) => r.feature === 'chat');
    expect(chat).toMatchObject({ spend_this_week_usd: '14.000000000', spend_last_week_usd: '7.000000000' });
    expect(chat!.spend_wow_change).toBeCloseTo(1);
  });

  it.each([
    { asOf: '2027-02-15', first: '2026-02-01' },
    { asOf: '2027-03-01', first: '2026-03-01' },
    { asOf: '2027-04-01', first: null },
  ])('read the thirteen months up to the as-of day: as of $asOf, from $first', async ({ asOf, first }) => {
    for (const name of ['cost_per_outcome_by_month_and_feature', 'spend_by_month_segment_and_model', 'chargeback_by_month_and_segment']) {
      const months = [...new Set((await view(name, asOf)).map((r) => String(r.month)))].sort();
      expect(months[0] ?? null, name).toBe(first);
    }
  });

  it('bill each segment of a month as the chargeback report does', async () => {
    const rows = inMonth(await view('chargeback_by_month_and_segment', '2026-03-22'), '2026-03');
    const bill = await chargebackReport(ledger.engine, '2026-03', 'segment');
    const bySegment = new Map(rows.map((r) => [r.segment, r]));
    expect(bySegment.size).toBe(bill.lines.length);
    for (const line of bill.lines) {
      expect(bySegment.get(line.owner), String(line.owner)).toMatchObject({ spend_usd: line.spend_usd, calls: line.calls, outcomes: line.outcomes, tokens: line.tokens });
    }
    expect(rows.reduce((sum, r) => sum + Number(r.month_spend_share), 0)).toBeCloseTo(1);
    expect(bySegment.get(hostileSegment)).toBeDefined();
  });

  it('split each month\'s spend by segment and model, the shares adding up to the month', async () => {
    const rows = inMonth(await view('spend_by_month_segment_and_model', '2026-03-22'), '2026-03');
    expect(rows.map((r) => [r.segment, r.model, r.spend_usd, r.calls])).toEqual(
      expect.arrayContaining([
        ['pro', 'm', '42.000000000', 21],
        ['free', 'm', '2.100000000', 210],
        [null, 'm', '5.250000000', 21],
      ]),
    );
    expect(rows.reduce((sum, r) => sum + Number(r.month_spend_share), 0)).toBeCloseTo(1);
  });

  it('rank the open findings by monthly impact', async () => {
    const rows = await view('open_findings_by_impact', '2026-03-22');
    expect(rows.map((r) => [r.impact_rank, r.feature, r.impact_usd_month])).toEqual([
      [1, hostileFeature, '42.500000000'],
      [2, null, '1.250000000'],
    ]);
  });

  it('give the latest forecast of each scope for the month of the as-of day and after, and none once it is stale', async () => {
    const rows = await view('latest_forecast_by_scope_and_month', '2026-03-22');
    expect(rows.map((r) => [r.scope, r.scope_value, r.target_month, r.mean_usd, r.lo95_usd, r.hi95_usd]).sort()).toEqual(
      [
        ['feature', hostileFeature, '2026-03-01', '15.000000000', '12.000000000', '18.000000000'],
        ['total', null, '2026-03-01', '100.000000000', '80.000000000', '120.000000000'],
        ['total', null, '2026-04-01', '110.000000000', '88.000000000', '132.000000000'],
      ].sort(),
    );
    expect(await view('latest_forecast_by_scope_and_month', '2026-04-02')).toEqual([
      expect.objectContaining({ scope: 'total', target_month: '2026-04-01' }),
    ]);
    expect(await view('latest_forecast_by_scope_and_month', '2026-05-01')).toEqual([]);
  });
});

describe('a view rendered for BigQuery', () => {
  it.each(viewNames())('%s reads today as current_date() and names its tables for Terraform to fill in', (name) => {
    const sql = viewTemplate(name);
    const code = sql.split('\n').filter((line) => !line.trimStart().startsWith('--')).join('\n');
    expect(code).not.toMatch(/@\w/);
    expect(code).not.toContain('{{');
    expect(code).toMatch(/from `\$\{project\}\.\$\{dataset\}\.\w+`/);
    if (sqlFile(`views/${name}.sql`).includes('@as_of')) expect(code).toContain('current_date()');
  });
});
