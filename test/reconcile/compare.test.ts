import { describe, expect, it } from 'vitest';
import { compareInvoice, type LedgerUsage } from '../../functions/reconcile/compare.js';
import type { InvoiceLine } from '../../functions/reconcile/invoice-csv.js';

const ledger: LedgerUsage[] = [
  { month: '2026-10-01', provider_key: 'acme', model_key: 'm', calls: 4, input_tokens: 900, output_tokens: 100, spend_usd: '0.300000000', unpriced_calls: 0, top_feature: 'chat' },
];

function line(fields: Partial<InvoiceLine>): InvoiceLine {
  return { month: '2026-10', provider: null, model: 'm', model_key: 'm', tokens: null, cost_usd: null, lines: [2], ...fields };
}

describe('comparing an invoice with the ledger', () => {
  it.each([
    { name: 'equal figures match', invoice: line({ tokens: 1000, cost_usd: '0.3' }), mismatch: false },
    { name: 'a cost gap of exactly the allowed share matches', invoice: line({ cost_usd: '0.3125' }), mismatch: false }, // 0.0125 / 0.3125 = 4%
    { name: 'a cost gap just above the allowed share does not', invoice: line({ cost_usd: '0.31251' }), mismatch: true },
    { name: 'a token gap alone is enough', invoice: line({ tokens: 1100, cost_usd: '0.3' }), mismatch: true },
    { name: 'any gap where the invoice says 0 is a mismatch', invoice: line({ cost_usd: '0' }), mismatch: true },
    { name: 'a month the ledger has nothing for is a mismatch', invoice: line({ month: '2026-11', cost_usd: '0.01' }), mismatch: true },
    { name: 'zero against zero matches', invoice: line({ month: '2026-11', tokens: 0 }), mismatch: false },
  ])('$name', ({ invoice, mismatch }) => {
    expect(compareInvoice([invoice], ledger, 0.04, 'invoice.csv')[0]!.mismatch).toBe(mismatch);
  });

  it('writes gaps as ledger minus invoice, with their share of the invoice', () => {
    const [row] = compareInvoice([line({ tokens: 1250, cost_usd: '0.25' })], ledger, 0.04, 'invoice.csv');
    expect(row).toMatchObject({ tokens_gap: -250, tokens_gap_share: -0.2, cost_gap_usd: '0.050000000', cost_gap_share: 0.2, ledger_calls: 4, top_feature: 'chat' });
  });

  it('has no share when the invoice says 0', () => {
    const [row] = compareInvoice([line({ cost_usd: '0' })], ledger, 0.04, 'invoice.csv');
    expect(row).toMatchObject({ cost_gap_usd: '0.300000000', cost_gap_share: null, tokens_gap: null, tokens_gap_share: null });
  });
});
