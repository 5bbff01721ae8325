import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRollup } from '../../functions/jobs/rollup.js';
import { costPerOutcomeReport, renderCostPerOutcome } from '../../functions/reports/cost-per-outcome.js';
import { addDays } from '../../functions/time/days.js';
import { testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

describe('the monthly cost-per-outcome report', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    // March 1..21: "chat" spends $1 a day in its first two weeks and $2 a day in its third, one outcome a day;
    // one call a day has no feature ($0.50)
    const calls = [];
    const outcomes = [];
    for (let i = 0; i < 21; i++) {
      const day = addDays('2026-03-01', i);
      calls.push({ ts: `${day}T10:00:00Z`, call_id: `c${i}`, feature: 'chat', segment: 'pro', model: 'm', input_tokens: 10, output_tokens: 1, cost_usd: i >= 14 ? '2' : '1' });
      calls.push({ ts: `${day}T11:00:00Z`, call_id: `n${i}`, model: 'm', input_tokens: 10, output_tokens: 1, cost_usd: '0.5' });
      outcomes.push({ ts: `${day}T12:00:00Z`, outcome_id: `o${i}`, feature: 'chat' });
    }
    await ledger.loadCalls(calls);
    await ledger.loadOutcomes(outcomes);
    await runRollup(ledger.context('2026-03-22'));
  });
  afterEach(() => ledger.close());

  it('has one row per feature and a null-feature row for calls with no feature', async () => {
    const rows = await costPerOutcomeReport(ledger.engine, '2026-03');
    expect(rows.map((r) => [r.feature, r.spend_usd, r.calls, r.outcomes, r.cost_per_outcome_usd])).toEqual([
      ['chat', '28.000000000', 21, 21, '1.333333333'],
      [null, '10.500000000', 21, 21, '0.500000000'],
    ]);
  });

  it('compares the last seven rolled-up days with the seven before them', async () => {
    const [chat] = await costPerOutcomeReport(ledger.engine, '2026-03');
    expect(chat).toMatchObject({ spend_this_week_usd: '14.000000000', spend_last_week_usd: '7.000000000' });
    expect(chat!.spend_wow_change).toBeCloseTo(1);
    expect(chat!.cost_per_outcome_wow_change).toBeCloseTo(1);
  });

  it('is empty for a month with no rollups', async () => {
    expect(await costPerOutcomeReport(ledger.engine, '2026-05')).toEqual([]);
  });

  it('prints a table whose total is the sum of its rows', async () => {
    const text = renderCostPerOutcome(await costPerOutcomeReport(ledger.engine, '2026-03'), '2026-03');
    expect(text).toContain('Cost per outcome, 2026-03');
    expect(text).toMatch(/chat\s+\$28\.00\s+21\s+21\s+outcome\s+\$1\.33\s+\+100%/);
    expect(text).toMatch(/\(no feature\)\s+\$10\.50/);
    expect(text).toMatch(/total\s+\$38\.50\s+42/);
  });
});
