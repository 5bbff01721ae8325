import { formatChange, formatCount, formatPercent, renderTable } from '../format/table.js';
import { formatUsd } from '../money.js';
import type { InvoiceComparison } from './compare.js';
import type { ReconcileResult } from './reconcile.js';

/** The invoice beside the ledger, one line per month, provider and model, mismatches marked, and what became of them. */
export function renderReconcile(result: ReconcileResult): string {
  const mismatches = result.rows.filter((r) => r.mismatch).length;
  const allowed = formatPercent(result.max_gap_share);
  const resolved = result.findings.filter((f) => f.status === 'resolved').length;
  const notes = [
    mismatches === 0
      ? `The ledger agrees with the invoice within ${allowed} on every month and model.`
      : `${mismatches} of ${result.rows.length} month and model pairs differ by more than ${allowed}: recorded as invoice_mismatch findings (ai-finops findings).`,
    ...(resolved > 0 ? [`${resolved} earlier invoice_mismatch finding${resolved === 1 ? '' : 's'} resolved: the figures agree now.`] : []),
    'Gaps are the ledger minus the invoice: negative where the ledger holds less than the provider billed.',
  ];
  const tokens = (n: number | null) => (n === null ? '–' : formatCount(n));
  return renderTable(
    [
      { header: 'month', value: (r: InvoiceComparison) => r.month },
      { header: 'provider', value: (r) => r.provider ?? '–' },
      { header: 'model', value: (r) => r.model },
      { header: 'invoice tokens', align: 'right', value: (r) => tokens(r.invoice_tokens) },
      { header: 'ledger tokens', align: 'right', value: (r) => formatCount(r.ledger_tokens) },
      { header: 'gap', align: 'right', value: (r) => formatChange(r.tokens_gap_share) },
      { header: 'invoice cost', align: 'right', value: (r) => formatUsd(r.invoice_cost_usd) },
      { header: 'ledger cost', align: 'right', value: (r) => formatUsd(r.ledger_cost_usd) },
      { header: 'gap', align: 'right', value: (r) => formatUsd(r.cost_gap_usd) },
      { header: 'gap %', align: 'right', value: (r) => formatChange(r.cost_gap_share) },
      { header: 'status', value: (r) => (r.mismatch ? 'MISMATCH' : 'ok') },
    ],
    result.rows,
    { title: `Invoice ${result.invoice} against the ledger`, note: notes.join('\n') },
  );
}
