import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRollup } from '../../functions/jobs/rollup.js';
import { chargebackReport, renderChargeback, type ChargebackLine } from '../../functions/reports/chargeback.js';
import { addDays } from '../../functions/time/days.js';
import { testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

/**
 * March 2026, amounts that drift as floats (ten times 0.1 is 0.9999999999999999 in binary; nano-dollars vanish):
 * - chat (measured in outcomes), segment pro, customer c1: 10 calls of $0.1, towards outcomes o0..o3;
 *   4 succeeded outcomes in pro and one failed.
 * - chat, segment free, customer c2: 3 calls of $0.2, towards o4 and o5; 2 succeeded outcomes in free.
 * - search (measured in calls), segment pro, customer c1: 7 ok calls of $0.000000001 and one error of the same.
 * - no feature, no segment, no customer: 2 ok calls of $0.3.
 * Plus one call in April, which no March bill may count.
 */
function marchCalls() {
  const calls: object[] = [];
  const call = (id: string, day: number, fields: object) =>
    calls.push({ ts: `${addDays('2026-03-01', day)}T10:00:00Z`, call_id: id, model: 'm', input_tokens: 100, output_tokens: 10, ...fields });
  for (let i = 0; i < 10; i++) {
    call(`chat-pro-${i}`, i, { feature: 'chat', segment: 'pro', customer_id: 'c1', cost_usd: '0.1', outcome_id: `o${i % 4}` });
  }
  for (let i = 0; i < 3; i++) {
    call(`chat-free-${i}`, i, { feature: 'chat', segment: 'free', customer_id: 'c2', cost_usd: '0.2', outcome_id: `o${4 + (i % 2)}` });
  }
  for (let i = 0; i < 8; i++) {
    call(`search-${i}`, i, { feature: 'search', segment: 'pro', customer_id: 'c1', cost_usd: '0.000000001', status: i === 7 ? 'error' : 'ok' });
  }
  call('bare-0', 3, { cost_usd: '0.3' });
  call('bare-1', 4, { cost_usd: '0.3' });
  calls.push({ ts: '2026-04-01T00:00:00Z', call_id: 'april', feature: 'chat', segment: 'pro', model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: '5' });
  return calls;
}

function marchOutcomes() {
  const outcome = (id: string, segment: string, succeeded: boolean) => ({ ts: '2026-03-12T09:00:00Z', outcome_id: id, feature: 'chat', segment, succeeded });
  return [
    ...['o0', 'o1', 'o2', 'o3'].map((id) => outcome(id, 'pro', true)),
    outcome('o9', 'pro', false),
    outcome('o4', 'free', true),
    outcome('o5', 'free', true),
  ];
}

const fields = (line: ChargebackLine) => [line.owner, line.calls, line.spend_usd, line.outcomes, line.cost_per_outcome_usd];

describe('the monthly chargeback', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(marchCalls());
    await ledger.loadOutcomes(marchOutcomes());
    await runRollup(ledger.context('2026-04-02'));
  });
  afterEach(() => ledger.close());

  it.each([
    {
      name: 'bills each segment, with the unattributed spend as its own line',
      by: 'segment' as const,
      // pro: $1 of chat and 8 nano-dollars of search; 4 chat outcomes and 7 ok search calls
      lines: [['pro', 18, '1.000000008', 11, '0.090909092'], ['free', 3, '0.600000000', 2, '0.300000000'], [null, 2, '0.600000000', 2, '0.300000000']],
    },
    {
      name: 'bills each feature, the unattributed line last, counting outcomes or ok calls as the feature is measured',
      by: 'feature' as const,
      lines: [['chat', 13, '1.600000000', 6, '0.266666667'], ['search', 8, '0.000000008', 7, '0.000000001'], [null, 2, '0.600000000', 2, '0.300000000']],
    },
    {
      name: 'bills each customer from the ledger, an outcome going to the customer of its first call',
      by: 'customer' as const,
      lines: [['c1', 18, '1.000000008', 11, '0.090909092'], ['c2', 3, '0.600000000', 2, '0.300000000'], [null, 2, '0.600000000', 2, '0.300000000']],
    },
  ])('$name', async ({ by, lines }) => {
    const bill = await chargebackReport(ledger.engine, '2026-03', by);
    expect(bill.lines.map(fields)).toEqual(lines);
  });

  it('bills a succeeded outcome no call worked towards to the unattributed customer line', async () => {
    await ledger.loadOutcomes([{ ts: '2026-03-20T09:00:00Z', outcome_id: 'orphan', feature: 'chat', segment: 'pro' }]);
    await runRollup(ledger.context('2026-04-02'));
    const bill = await chargebackReport(ledger.engine, '2026-03', 'customer');
    expect(bill.lines.map((l) => [l.owner, l.outcomes])).toEqual([['c1', 11], ['c2', 2], [null, 3]]);
  });

  it.each(['segment', 'feature', 'customer'] as const)('adds up to the cent, and to the nano-dollar, by %s', async (by) => {
    const { total, lines } = await chargebackReport(ledger.engine, '2026-03', by);
    expect(total).toMatchObject({ calls: 23, spend_usd: '2.200000008', outcomes: 15, cost_per_outcome_usd: '0.146666667' });
    expect(total.tokens).toBe(23 * 110);
    expect(lines.reduce((n, l) => n + l.tokens, 0)).toBe(total.tokens);
  });

  it('refuses to bill a month whose rollups are behind the ledger', async () => {
    await ledger.loadCalls([{ ts: '2026-03-05T10:00:00Z', call_id: 'late', feature: 'chat', segment: 'pro', model: 'm', input_tokens: 1, output_tokens: 1, cost_usd: '0.01' }]);
    await expect(chargebackReport(ledger.engine, '2026-03', 'segment')).rejects.toThrow(
      /chargeback by segment for 2026-03 does not reconcile with the ledger: it bills 2\.200000008 USD over 23 calls, the ledger holds 2\.210000008 USD over 24\. Run `ai-finops run rollup`/,
    );
  });

  it('is an empty bill with a zero total for a month with no calls', async () => {
    const bill = await chargebackReport(ledger.engine, '2026-06', 'segment');
    expect(bill.lines).toEqual([]);
    expect(bill.total).toMatchObject({ calls: 0, spend_usd: '0.000000000', cost_per_outcome_usd: null });
  });

  it('prints a table whose total line is the ledger total', async () => {
    const text = renderChargeback(await chargebackReport(ledger.engine, '2026-03', 'segment'));
    expect(text).toContain('Chargeback by segment, 2026-03');
    expect(text).toMatch(/pro\s+18\s+1,980\s+\$1\.00\s+45%\s+11\s+\$0\.091/);
    expect(text).toMatch(/\(no segment: unattributed\)\s+2\s+220\s+\$0\.600\s+27%/);
    expect(text).toMatch(/total\s+23\s+2,530\s+\$2\.20\s+100%\s+15\s+\$0\.147/);
    expect(text).toContain('Reconciled with the ledger: $2.20 over 23 calls in 2026-03.');
  });
});
