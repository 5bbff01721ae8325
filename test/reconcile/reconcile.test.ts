import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFindings } from '../../functions/findings/store.js';
import { readInvoiceCsv } from '../../functions/reconcile/invoice-csv.js';
import { runReconcile } from '../../functions/reconcile/reconcile.js';
import { renderReconcile } from '../../functions/reconcile/render.js';
import { configFrom, testLedger } from '../support/ledger.js';

type Ledger = Awaited<ReturnType<typeof testLedger>>;

/**
 * October 2026 in the ledger: gpt-4o 10 calls of 1,000 tokens (900 in, 100 out) at $0.1 (mostly for chat, one for
 * search); claude-haiku 4 calls of 500 tokens at $0.05. September: gpt-4o one call of 1,000 tokens at $1.
 */
function ledgerCalls() {
  const calls: object[] = [];
  for (let i = 0; i < 10; i++) {
    calls.push({ ts: `2026-10-${String(i + 1).padStart(2, '0')}T10:00:00Z`, call_id: `g${i}`, feature: i === 0 ? 'search' : 'chat', model: 'gpt-4o', input_tokens: 900, output_tokens: 100, cost_usd: '0.1' });
  }
  for (let i = 0; i < 4; i++) {
    calls.push({ ts: `2026-10-1${i}T10:00:00Z`, call_id: `h${i}`, feature: 'search', model: 'claude-haiku', input_tokens: 400, output_tokens: 100, cost_usd: '0.05' });
  }
  calls.push({ ts: '2026-09-30T23:59:59Z', call_id: 'sep', feature: 'chat', model: 'gpt-4o', input_tokens: 900, output_tokens: 100, cost_usd: '1' });
  return calls;
}

const config = configFrom('version: 1\ndetectors:\n  invoice:\n    max_gap_share: 0.05\n');

describe('reconciling an invoice with the ledger', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await testLedger();
    await ledger.loadCalls(ledgerCalls());
  });
  afterEach(() => ledger.close());

  const reconcile = (csv: string, asOf = '2026-11-05') =>
    runReconcile(ledger.context(asOf, config), readInvoiceCsv(csv, 'invoice.csv'), 'invoice.csv');

  it('compares tokens and cost per month and model, the gap as ledger minus invoice', async () => {
    const result = await reconcile('month,model,tokens,cost_usd\n2026-10,GPT-4o,10000,1.05\n2026-10,claude-haiku,2000,0.2\n');
    expect(result.rows.map((r) => [r.model, r.invoice_tokens, r.ledger_tokens, r.tokens_gap, r.invoice_cost_usd, r.ledger_cost_usd, r.cost_gap_usd])).toEqual([
      ['claude-haiku', 2000, 2000, 0, '0.200000000', '0.200000000', '0.000000000'],
      ['GPT-4o', 10000, 10000, 0, '1.050000000', '1.000000000', '-0.050000000'],
    ]);
    expect(result.rows[1]!.cost_gap_share).toBeCloseTo(-0.05 / 1.05, 12);
  });

  it('records no finding for a gap at or under the threshold', async () => {
    // $1.00 against $1.05 is 4.8% apart, under the 5% allowed
    const result = await reconcile('month,model,cost_usd\n2026-10,gpt-4o,1.05\n');
    expect(result.rows[0]!.mismatch).toBe(false);
    expect(result.findings).toEqual([]);
    expect(await readFindings(ledger.engine, ['invoice_mismatch'])).toEqual([]);
  });

  it('records an invoice_mismatch finding above the threshold, keyed by month and model', async () => {
    // $1.00 against $1.06 is 5.7% apart
    const result = await reconcile('month,model,cost_usd\n2026-10,GPT-4o,1.06\n');
    expect(result.findings).toEqual([
      expect.objectContaining({
        key: 'invoice_mismatch:2026-10:gpt-4o',
        kind: 'invoice_mismatch',
        status: 'open',
        feature: 'chat',
        subject: 'GPT-4o',
        first_seen: '2026-10-01T00:00:00Z',
        last_seen: '2026-10-31T00:00:00Z',
        impact_usd_month: '0.060000000',
      }),
    ]);
    expect(result.findings[0]!.summary).toBe(
      'The GPT-4o invoice for 2026-10 says $1.06, the ledger $1.00 (5.7% apart; 5.0% allowed): find the missing or extra calls before the ledger is used as the bill.',
    );
  });

  it('finds a token gap too, priced at the ledger cost per token when the invoice has no cost', async () => {
    // 12,000 tokens billed, 10,000 in the ledger at $1.00: 2,000 tokens at $0.0001 each
    const [finding] = (await reconcile('month,model,tokens\n2026-10,gpt-4o,12000\n')).findings;
    expect(finding).toMatchObject({ key: 'invoice_mismatch:2026-10:gpt-4o', impact_usd_month: '0.200000000' });
  });

  it('finds usage the ledger never saw, in a month it holds nothing for', async () => {
    const result = await reconcile('month,model,tokens,cost_usd\n2026-08,gpt-4o,10,0.01\n');
    expect(result.rows[0]).toMatchObject({ ledger_tokens: 0, ledger_cost_usd: '0.000000000', mismatch: true, top_feature: null });
    expect(result.findings.map((f) => f.key)).toEqual(['invoice_mismatch:2026-08:gpt-4o']);
  });

  it('keeps a month to its own days (a call at 23:59:59 on the 30th is September)', async () => {
    const result = await reconcile('month,model,cost_usd\n2026-09,gpt-4o,1\n');
    expect(result.rows[0]).toMatchObject({ ledger_cost_usd: '1.000000000', ledger_tokens: 1000, mismatch: false });
  });

  it('is idempotent: running it again changes nothing and adds no finding', async () => {
    const csv = 'month,model,cost_usd\n2026-10,gpt-4o,2\n';
    const first = await reconcile(csv);
    const again = await reconcile(csv, '2026-11-06');
    expect(again.findings).toEqual(first.findings);
    expect(await readFindings(ledger.engine, ['invoice_mismatch'])).toEqual(first.findings);
  });

  it('resolves the finding when a later invoice agrees, and leaves other months alone', async () => {
    await reconcile('month,model,cost_usd\n2026-09,gpt-4o,3\n2026-10,gpt-4o,2\n');
    const corrected = await reconcile('month,model,cost_usd\n2026-10,gpt-4o,1\n', '2026-11-07');
    expect(corrected.findings.map((f) => [f.key, f.status])).toEqual([['invoice_mismatch:2026-10:gpt-4o', 'resolved']]);
    const stored = await readFindings(ledger.engine, ['invoice_mismatch']);
    expect(stored.map((f) => [f.key, f.status]).sort()).toEqual([
      ['invoice_mismatch:2026-09:gpt-4o', 'open'],
      ['invoice_mismatch:2026-10:gpt-4o', 'resolved'],
    ]);
  });

  it('prints the invoice beside the ledger with the mismatches marked', async () => {
    const text = renderReconcile(await reconcile('month,model,tokens,cost_usd\n2026-10,gpt-4o,10000,2\n2026-10,claude-haiku,2000,0.2\n'));
    expect(text).toContain('Invoice invoice.csv against the ledger');
    expect(text).toMatch(/2026-10\s+gpt-4o\s+10,000\s+10,000\s+\+0\.0%\s+\$2\.00\s+\$1\.00\s+-\$1\.00\s+-50%\s+MISMATCH/);
    expect(text).toMatch(/2026-10\s+claude-haiku\s+2,000\s+2,000\s+\+0\.0%\s+\$0\.200\s+\$0\.200\s+\$0\.00\s+\+0\.0%\s+ok/);
    expect(text).toContain('1 of 2 month and model pairs differ by more than 5.0%');
  });
});
