import { fromNanos, toNanos } from '../money.js';
import type { InvoiceLine } from './invoice-csv.js';

/** The ledger's side of one month and model (sql/reconcile/ledger_by_month_and_model.sql). */
export interface LedgerUsage {
  /** The month's first day, `YYYY-MM-DD`, as the engine returns a date. */
  month: string;
  model_key: string;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  spend_usd: string;
  unpriced_calls: number;
  top_feature: string | null;
}

/**
 * One month and model, the invoice beside the ledger. Gaps are ledger minus invoice (negative: the ledger holds
 * less than the provider billed); shares are the gap over the invoice's figure, null when the invoice says 0.
 */
export interface InvoiceComparison {
  month: string;
  model: string;
  model_key: string;
  invoice_tokens: number | null;
  ledger_tokens: number;
  tokens_gap: number | null;
  tokens_gap_share: number | null;
  invoice_cost_usd: string | null;
  ledger_cost_usd: string;
  cost_gap_usd: string | null;
  cost_gap_share: number | null;
  ledger_calls: number;
  unpriced_calls: number;
  top_feature: string | null;
  /** Whether a gap (tokens or cost) is larger than the allowed share; any gap at all when the invoice says 0. */
  mismatch: boolean;
}

/**
 * Compares each month and model of an invoice with the ledger. A pair the ledger has no calls for compares with
 * zeros (the provider billed usage the ledger never saw). Ledger usage of models the invoice does not name is left
 * out: an invoice comes from one provider, the ledger holds them all.
 */
export function compareInvoice(invoice: InvoiceLine[], ledger: LedgerUsage[], maxGapShare: number): InvoiceComparison[] {
  const usage = new Map(ledger.map((u) => [JSON.stringify([u.month.slice(0, 7), u.model_key]), u]));
  return invoice.map((line) => {
    const found = usage.get(JSON.stringify([line.month, line.model_key]));
    const ledgerTokens = found ? found.input_tokens + found.output_tokens : 0;
    const ledgerCost = found ? found.spend_usd : fromNanos(0n);
    const tokens = line.tokens === null ? null : gap(BigInt(ledgerTokens), BigInt(line.tokens));
    const cost = line.cost_usd === null ? null : gap(toNanos(ledgerCost), toNanos(line.cost_usd));
    return {
      month: line.month,
      model: line.model,
      model_key: line.model_key,
      invoice_tokens: line.tokens,
      ledger_tokens: ledgerTokens,
      tokens_gap: tokens === null ? null : Number(tokens.gap),
      tokens_gap_share: tokens?.share ?? null,
      invoice_cost_usd: line.cost_usd,
      ledger_cost_usd: ledgerCost,
      cost_gap_usd: cost === null ? null : fromNanos(cost.gap),
      cost_gap_share: cost?.share ?? null,
      ledger_calls: found?.calls ?? 0,
      unpriced_calls: found?.unpriced_calls ?? 0,
      top_feature: found?.top_feature ?? null,
      mismatch: [tokens, cost].some((g) => g !== null && exceeds(g, maxGapShare)),
    };
  });
}

interface Gap {
  gap: bigint;
  share: number | null;
}

/** Ledger minus invoice, in whole units (tokens or nano-dollars), and its share of the invoice. */
function gap(ledger: bigint, invoice: bigint): Gap {
  const difference = ledger - invoice;
  return { gap: difference, share: invoice === 0n ? null : Number(difference) / Number(invoice) };
}

function exceeds({ gap, share }: Gap, maxGapShare: number): boolean {
  return share === null ? gap !== 0n : Math.abs(share) > maxGapShare;
}
