import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRollup } from '../../functions/jobs/rollup.js';
import { monthEndInput } from '../../functions/slack/month-end-input.js';
import { addDays } from '../../functions/time/days.js';
import { configFrom, testLedger } from '../support/ledger.js';
import { adviceRow, forecastRow } from './ledger-rows.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

const config = configFrom('version: 1\nfeatures:\n  chat:\n    monthly_budget_usd: 250\n  search:\n    owner: team-search\n');

/** August to October 2026: chat spends $10 a day throughout, search $1 a day in October only. */
function calls(): object[] {
  const out: object[] = [];
  for (let day = '2026-08-01'; day < '2026-11-01'; day = addDays(day, 1)) {
    out.push({ ts: `${day}T10:00:00Z`, call_id: `chat${day}`, feature: 'chat', segment: 'pro', model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: '10' });
    if (day >= '2026-10-01') out.push({ ts: `${day}T11:00:00Z`, call_id: `search${day}`, feature: 'search', segment: 'pro', model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: '1' });
  }
  return out;
}

describe('the month-end input', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(calls());
    await runRollup(ledger.context('2026-11-01'));
  });
  afterEach(() => ledger.close());

  it('reports the month before the as-of day, with the monthly totals before it for the chart', async () => {
    const input = await monthEndInput(ledger.context('2026-11-01', config));
    expect(input.closedMonth).toBe('2026-10');
    expect(input.history).toEqual([
      { month: '2026-08-01', usd: '310.000000000' },
      { month: '2026-09-01', usd: '300.000000000' },
      { month: '2026-10-01', usd: '341.000000000' },
    ]);
    // the same month closed whatever the day of the month it runs
    expect((await monthEndInput(ledger.context('2026-11-17', config))).closedMonth).toBe('2026-10');
  });

  it("puts the closed month's actual against its first forecast made inside the month, and counts the weekly forecasts inside their interval", async () => {
    await ledger.engine.insertRows('forecasts', [
      // made before October: actual 341 is above its interval
      forecastRow({ run_date: '2026-09-28', target_month: '2026-10-01', horizon_months: 1, mean_usd: '330', lo80_usd: '320', hi80_usd: '340' }),
      // the forecast of record: the first made inside October, with 341 inside its interval
      forecastRow({ run_date: '2026-10-05', target_month: '2026-10-01', mean_usd: '340', lo80_usd: '335', hi80_usd: '345' }),
      // later: 341 is below its interval
      forecastRow({ run_date: '2026-10-12', target_month: '2026-10-01', mean_usd: '345', lo80_usd: '343', hi80_usd: '350' }),
      forecastRow({ run_date: '2026-10-05', target_month: '2026-10-01', scope: 'feature', scope_value: 'chat', mean_usd: '300', lo80_usd: '290', hi80_usd: '305' }),
    ]);
    const { closed } = await monthEndInput(ledger.context('2026-11-01', config));
    expect(closed.map((c) => [c.scope, c.feature, c.actual_usd, c.forecast?.run_date ?? null, c.inside80, c.forecasts, c.forecastsInside80])).toEqual([
      ['total', null, '341.000000000', '2026-10-05', true, 3, 1],
      ['feature', 'chat', '310.000000000', '2026-10-05', false, 1, 0],
      ['feature', 'search', '31.000000000', null, null, 0, 0],
    ]);
  });

  it('falls back to the last forecast made before the month when none was made inside it', async () => {
    await ledger.engine.insertRows('forecasts', [
      forecastRow({ run_date: '2026-09-21', target_month: '2026-10-01', horizon_months: 1, mean_usd: '300' }),
      forecastRow({ run_date: '2026-09-28', target_month: '2026-10-01', horizon_months: 1, mean_usd: '330', lo80_usd: '320', hi80_usd: '340' }),
    ]);
    const [total] = (await monthEndInput(ledger.context('2026-11-01', config))).closed;
    expect(total).toMatchObject({ forecast: { run_date: '2026-09-28', mean_usd: '330.000000000' }, inside80: false });
  });

  it("gives the latest run's forecasts of this month and the next ones, total first, and the monthly budgets", async () => {
    const run = (over: Record<string, string | number>) => forecastRow({ run_date: '2026-10-26', ...over });
    await ledger.engine.insertRows('forecasts', [
      run({ target_month: '2026-10-01', horizon_months: 0 }),
      run({ target_month: '2026-11-01', horizon_months: 1, mean_usd: '350' }),
      run({ target_month: '2026-12-01', horizon_months: 2 }),
      run({ target_month: '2027-01-01', horizon_months: 3 }),
      run({ target_month: '2026-11-01', horizon_months: 1, scope: 'feature', scope_value: 'chat' }),
      forecastRow({ run_date: '2026-10-19', target_month: '2026-11-01', horizon_months: 1, mean_usd: '999' }),
    ]);
    const input = await monthEndInput(ledger.context('2026-11-01', config));
    expect(input.forecasts.map((f) => [f.run_date, f.scope, f.scope_value, f.target_month])).toEqual([
      ['2026-10-26', 'total', null, '2026-11-01'],
      ['2026-10-26', 'total', null, '2026-12-01'],
      ['2026-10-26', 'total', null, '2027-01-01'],
      ['2026-10-26', 'feature', 'chat', '2026-11-01'],
    ]);
    expect(input.forecasts[0]!.mean_usd).toBe('350.000000000');
    expect(input.budgets).toEqual([{ feature: 'chat', monthly_budget_usd: '250' }]);
  });

  it("reads the running coverage of the total's scored forecasts from the accuracy report", async () => {
    await ledger.engine.insertRows('forecasts', [
      forecastRow({ run_date: '2026-09-07', target_month: '2026-09-01', actual_usd: '300', error_usd: '200', in80: false, in95: false, scored_at: '2026-10-05T05:00:00Z' }),
      forecastRow({ run_date: '2026-09-14', target_month: '2026-09-01', actual_usd: '300', error_usd: '0', mean_usd: '300', in80: true, in95: true, scored_at: '2026-10-05T05:00:00Z' }),
      forecastRow({ run_date: '2026-09-14', target_month: '2026-09-01', scope: 'feature', scope_value: 'chat', actual_usd: '300', error_usd: '0', in80: true, in95: true, scored_at: '2026-10-05T05:00:00Z' }),
    ]);
    const { coverage } = await monthEndInput(ledger.context('2026-11-01', config));
    expect(coverage.map((r) => [r.scope, r.horizon_months, r.forecasts, r.months, r.coverage80])).toEqual([['total', 0, 2, 1, 0.5]]);
  });

  it('takes the advice of the latest advise run on or before the as-of day, largest saving first', async () => {
    await ledger.engine.insertRows('advice', [
      adviceRow({ run_date: '2026-10-01', key: 'old', saving_usd_month: '1000' }),
      adviceRow({ run_date: '2026-11-01', key: 'small', saving_usd_month: '50' }),
      adviceRow({ run_date: '2026-11-01', key: 'none', saving_usd_month: null }),
      adviceRow({ run_date: '2026-11-01', key: 'large', feature: 'chat', saving_usd_month: '120.5' }),
      adviceRow({ run_date: '2026-11-02', key: 'future', saving_usd_month: '5000' }),
    ]);
    const { advice } = await monthEndInput(ledger.context('2026-11-01', config));
    expect(advice.map((a) => [a.key, a.feature, a.saving_usd_month])).toEqual([
      ['large', 'chat', '120.500000000'],
      ['small', null, '50.000000000'],
      ['none', null, null],
    ]);
  });
});
