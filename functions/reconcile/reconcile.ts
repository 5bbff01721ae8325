import { findingKey, type DetectedFinding, type Finding } from '../findings/finding.js';
import { readFindings, recordFindings } from '../findings/store.js';
import type { JobContext, JobResult } from '../jobs/context.js';
import { formatCount, formatPercent } from '../format/table.js';
import { formatUsd, fromNanos, toNanos } from '../money.js';
import { sqlFile } from '../sql/files.js';
import { addDays, monthRange } from '../time/days.js';
import { compareInvoice, type InvoiceComparison, type LedgerUsage } from './compare.js';
import type { InvoiceLine } from './invoice-csv.js';

/** What `ai-finops reconcile --json` prints (CONTRACT.md: a job's name, as-of day and findings, then its own fields). */
export interface ReconcileResult extends JobResult {
  job: 'reconcile';
  findings: Finding[];
  invoice: string;
  max_gap_share: number;
  rows: InvoiceComparison[];
}

/**
 * Invoice reconciliation (issue 8): the ledger is the bill only if it agrees with the bill. Compares a provider's
 * invoice with the ledger per month, provider and model (compare.ts); a gap in tokens or cost above
 * `detectors.invoice.max_gap_share` becomes an `invoice_mismatch` finding keyed by month, provider (when one is
 * known) and model, so a rerun updates it instead of adding one. A later invoice (or a corrected ledger) that
 * agrees on that month, provider and model resolves it. Months and models the invoice does not name are left as they are: one invoice never resolves
 * another's findings.
 */
export async function runReconcile(context: JobContext, invoice: InvoiceLine[], source: string): Promise<ReconcileResult> {
  const { engine, config, asOf } = context;
  const maxGapShare = config.detectors.invoice.max_gap_share;
  const months = invoice.map((line) => line.month).sort();
  const ledger = (await engine.query(
    sqlFile('reconcile/ledger_by_month_provider_and_model.sql'),
    { from: monthRange(months[0]!).from, to: monthRange(months.at(-1)!).to },
    { labels: { job: 'reconcile' } },
  )) as unknown as LedgerUsage[];
  const rows = compareInvoice(invoice, ledger, maxGapShare, source);

  const open = new Set(
    (await readFindings(engine, ['invoice_mismatch'])).filter((f) => f.status !== 'resolved').map((f) => f.key),
  );
  const seen = rows
    .map((row) => mismatchFinding(row, maxGapShare))
    .filter((finding) => finding.ongoing || open.has(finding.key));
  const findings = await recordFindings(engine, { asOf, now: context.now(), seen, resolves: [] });
  return { job: 'reconcile', as_of: asOf, findings, invoice: source, max_gap_share: maxGapShare, rows };
}

/** The finding for one month and model: ongoing when it is a mismatch, else the news that it agrees now. */
function mismatchFinding(row: InvoiceComparison, maxGapShare: number): DetectedFinding {
  const range = monthRange(row.month);
  const allowed = formatPercent(maxGapShare);
  const sides = [
    ...(row.invoice_cost_usd === null ? [] : [[formatUsd(row.invoice_cost_usd), formatUsd(row.ledger_cost_usd), row.cost_gap_share] as const]),
    ...(row.invoice_tokens === null ? [] : [[`${formatCount(row.invoice_tokens, true)} tokens`, `${formatCount(row.ledger_tokens, true)} tokens`, row.tokens_gap_share] as const]),
  ];
  const invoiceSays = sides.map(([invoice]) => invoice).join(' and ');
  const ledgerSays = sides.map(([, ledger]) => ledger).join(' and ');
  const apart = sides.map(([, , share]) => (share === null ? 'the invoice says 0' : `${formatPercent(Math.abs(share))} apart`)).join(', ');
  return {
    key: findingKey('invoice_mismatch', row.month, ...(row.billed_by === null ? [] : [row.billed_by]), row.model_key),
    kind: 'invoice_mismatch',
    severity: 'warn',
    feature: row.top_feature,
    subject: row.model,
    first_seen: `${range.from}T00:00:00Z`,
    last_seen: `${addDays(range.to, -1)}T00:00:00Z`,
    impact_usd_month: row.mismatch ? gapUsd(row) : null,
    summary: row.mismatch
      ? `The ${invoiceName(row)} for ${row.month} says ${invoiceSays}, the ledger ${ledgerSays} (${apart}; ${allowed} allowed): ` +
        'find the missing or extra calls before the ledger is used as the bill.'
      : `The ${invoiceName(row)} for ${row.month} now agrees with the ledger within ${allowed}.`,
    evidence: { ...row, max_gap_share: maxGapShare },
    ongoing: row.mismatch,
  };
}

/** How a finding names the invoice: `the openai gpt-4o invoice`, the provider left out when none is known. */
function invoiceName(row: InvoiceComparison): string {
  return `${row.provider === null ? '' : `${row.provider} `}${row.model} invoice`;
}

/**
 * The dollars at stake: the cost gap where the invoice gives a cost; otherwise the token gap at the ledger's own
 * average cost per token for the model that month (null when the ledger has no tokens to price it by).
 */
function gapUsd(row: InvoiceComparison): string | null {
  if (row.cost_gap_usd !== null) return fromNanos(abs(toNanos(row.cost_gap_usd)));
  if (row.tokens_gap === null || row.ledger_tokens === 0) return null;
  const nanos = (abs(BigInt(row.tokens_gap)) * toNanos(row.ledger_cost_usd) + BigInt(row.ledger_tokens) / 2n) / BigInt(row.ledger_tokens);
  return fromNanos(nanos);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}
