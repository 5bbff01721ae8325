import { InputError } from '../errors.js';
import { fromNanos, toNanos } from '../money.js';
import type { InvoiceLine } from './invoice-csv.js';

/** The ledger's side of one month, provider and model (sql/reconcile/ledger_by_month_provider_and_model.sql). */
export interface LedgerUsage {
  /** The month's first day, `YYYY-MM-DD`, as the engine returns a date. */
  month: string;
  /** Lower-cased; null for calls that name no provider. */
  provider_key: string | null;
  model_key: string;
  calls: number;
  input_tokens: number;
  output_tokens: number;
  spend_usd: string;
  unpriced_calls: number;
  top_feature: string | null;
}

/**
 * One month, provider and model, the invoice beside the ledger. Gaps are ledger minus invoice (negative: the ledger holds
 * less than the provider billed); shares are the gap over the invoice's figure, null when the invoice says 0.
 */
export interface InvoiceComparison {
  month: string;
  /** The provider compared: the invoice's, else the only one the ledger holds the model under; null when neither names one. */
  provider: string | null;
  /**
   * The provider the invoice itself names (its column, or --provider); null when it names none. A finding is keyed
   * by this one, not by the provider found in the ledger, so the key of a month does not change when its calls land.
   */
  billed_by: string | null;
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
 * Compares each month, provider and model of an invoice with the ledger. An invoice comes from one provider, the
 * ledger holds them all (an OpenAI invoice for gpt-4o must not be compared with the gpt-4o calls made through
 * Azure), so each line is compared with its own provider's calls only. A line that names no provider is compared
 * with the ledger's calls of the model when they come from one provider (or none); when they come from several,
 * which of them billed it cannot be guessed. A pair the ledger has no calls for compares with zeros (the provider
 * billed usage the ledger never saw). `source` names the file in messages.
 *
 * @throws {InputError} naming every line whose model the ledger holds under several providers, the providers, and
 *   the fix: a provider column in the CSV, or `--provider NAME`.
 */
export function compareInvoice(invoice: InvoiceLine[], ledger: LedgerUsage[], maxGapShare: number, source: string): InvoiceComparison[] {
  const ambiguous: string[] = [];
  const rows = invoice.map((line) => {
    const candidates = ledger.filter((u) => u.month.slice(0, 7) === line.month && u.model_key === line.model_key);
    if (line.provider === null && candidates.length > 1) {
      const providers = candidates.map((u) => u.provider_key ?? '(no provider)').sort();
      ambiguous.push(`line ${line.lines.join(', ')} (${line.model}, ${line.month}): the ledger holds it under ${providers.join(', ')}`);
    }
    const found = line.provider === null ? candidates[0] : candidates.find((u) => u.provider_key === line.provider);
    return compareLine(line, line.provider ?? found?.provider_key ?? null, found, maxGapShare);
  });
  if (ambiguous.length > 0) {
    throw new InputError(
      `${source} does not say which provider billed ${ambiguous.length === 1 ? 'a model' : 'models'} the ledger holds under ` +
        `several providers:\n  ${ambiguous.join('\n  ')}\nSay which: add a provider column to the CSV (provider,month,model,...), ` +
        'or run with --provider NAME (e.g. --provider openai) when the whole invoice comes from one provider.',
    );
  }
  return rows;
}

/** One invoice line beside its ledger usage (undefined: the ledger holds none). */
function compareLine(line: InvoiceLine, provider: string | null, found: LedgerUsage | undefined, maxGapShare: number): InvoiceComparison {
  const ledgerTokens = found ? found.input_tokens + found.output_tokens : 0;
  const ledgerCost = found ? found.spend_usd : fromNanos(0n);
  const tokens = line.tokens === null ? null : gap(BigInt(ledgerTokens), BigInt(line.tokens));
  const cost = line.cost_usd === null ? null : gap(toNanos(ledgerCost), toNanos(line.cost_usd));
  return {
    month: line.month,
    provider,
    billed_by: line.provider,
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
