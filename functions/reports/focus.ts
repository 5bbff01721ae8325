import type { FinopsConfig } from '../config/finops-config.js';
import type { Engine } from '../engine/engine.js';
import { toCsv } from '../format/csv.js';
import { fromNanos } from '../money.js';
import { addDays, monthRange } from '../time/days.js';
import { billingAccount } from './billing-account.js';
import { listCosts } from './list-cost.js';
import { monthCharges, type Charge } from './month-charges.js';
import { providerName } from './provider-name.js';

/**
 * The month as a FinOps Foundation FOCUS 1.2 cost and usage dataset (https://focus.finops.org/focus-specification/v1-2/),
 * so a finance team's FinOps tools read the AI bill beside the cloud bill. One charge per day, provider, model,
 * segment and feature (the rollup's grain: each row's Tags name exactly one feature and one segment).
 *
 * How the ledger maps to the columns (the spec's column pages, FOCUS_Spec/specification/columns/*.md):
 * - BilledCost = EffectiveCost = ContractedCost = the ledger's cost: the calls' `cost_usd`, which already carries
 *   negotiated rates and the prompt cache's cheaper reads (functions/pricing/, sql/duckdb/new_calls.sql). There are
 *   no prepaid commitments to amortize, so effective and billed cost agree. Unpriced calls add 0, as in every bill.
 * - ListCost = the public catalog price of the same tokens on their day, caching ignored (list-cost.ts); for a
 *   model the catalog does not know, ListCost = BilledCost, as the spec asks when there is no list unit price.
 * - ConsumedQuantity = input + output tokens in ConsumedUnit "Tokens"; PricingQuantity = the same in millions, in
 *   PricingUnit "1000000 Tokens", the unit every provider's price list uses (UnitFormat: "<quantity> <plural-units>",
 *   a whole-number quantity).
 * - ChargeCategory "Usage", ChargeClass null (no corrections), ChargeFrequency "Usage-Based", PricingCategory
 *   "Standard" (agreed rates, list or negotiated: no commitment, no spot), ServiceCategory "AI and Machine
 *   Learning", BillingCurrency "USD", SkuId the model id, ServiceName the provider's API.
 * - BillingAccountId and BillingAccountName: the account the provider invoices, from `billing.accounts` in the
 *   config, else the provider's id and name (billing-account.ts).
 * - Date/times in ISO 8601 UTC with seconds and Z (DateTimeFormat): ChargePeriod is the day [00:00, next 00:00),
 *   BillingPeriod the month [first 00:00, next first 00:00).
 * - Tags: a JSON object (KeyValueFormat) with the row's `feature` and `segment`, a key left out when the call had none.
 * - Decimals are plain decimals with up to 9 places (NumericFormat); x_ columns (the spec's prefix for custom columns)
 *   carry the ledger's own counts for audit.
 *
 * The columns FOCUS 1.2 makes mandatory, as the FinOps Foundation's validator lists them (focus_validator
 * rules/model-1.2.json, the `-M` column rules; the spec's column pages agree): BilledCost, BillingAccountId,
 * BillingAccountName, BillingCurrency, BillingPeriodEnd, BillingPeriodStart, ChargeCategory, ChargeClass,
 * ChargeDescription, ChargePeriodEnd, ChargePeriodStart, ContractedCost, EffectiveCost, InvoiceIssuerName, ListCost,
 * PricingCategory, PricingQuantity, PricingUnit, ProviderName, PublisherName, ServiceCategory, ServiceName: all
 * here, and only ChargeClass is ever null (the spec allows it). Of the conditional columns the export has those
 * whose condition the ledger meets (ConsumedQuantity and ConsumedUnit: usage is measured; SkuId; Tags) and the
 * recommended ChargeFrequency. Left out: SubAccountId and SubAccountName (conditional on a sub-account construct,
 * which the ledger does not record: segment and feature travel as Tags), ListUnitPrice and ContractedUnitPrice
 * (a row mixes input, cached and output tokens at different rates, so no one unit price times PricingQuantity gives
 * its cost), commitment-discount and capacity-reservation columns (none), and region and resource columns.
 */

/** The columns of the export, in order. */
export const focusColumns = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'Tags',
  'x_Calls',
  'x_InputTokens',
  'x_CachedInputTokens',
  'x_CacheWriteInputTokens',
  'x_OutputTokens',
] as const;

export type FocusColumn = (typeof focusColumns)[number];
export type FocusRow = Record<FocusColumn, string | number | null>;

/**
 * The FOCUS rows of a month. Checked like every bill: the BilledCost of the rows adds up to the ledger's spend for
 * the month, to the nano-dollar, or this throws (ledger-total.ts).
 */
export async function focusReport(engine: Engine, config: FinopsConfig, month: string): Promise<FocusRow[]> {
  const charges = await monthCharges(engine, month, 'FOCUS export');
  const list = listCosts(charges);
  return charges.map((charge, i) => focusRow(config, charge, list[i] ?? null, monthRange(month)));
}

function focusRow(config: FinopsConfig, charge: Charge, listCost: string | null, billingPeriod: { from: string; to: string }): FocusRow {
  const tokens = charge.input_tokens + charge.output_tokens;
  const provider = providerName(charge.provider);
  const account = billingAccount(config, charge.provider);
  const tags: Record<string, string> = {};
  if (charge.feature !== null) tags.feature = charge.feature;
  if (charge.segment !== null) tags.segment = charge.segment;
  return {
    BilledCost: charge.spend_usd,
    BillingAccountId: account.id,
    BillingAccountName: account.name,
    BillingCurrency: 'USD',
    BillingPeriodEnd: instant(billingPeriod.to),
    BillingPeriodStart: instant(billingPeriod.from),
    ChargeCategory: 'Usage',
    ChargeClass: null,
    ChargeDescription: `${charge.model} tokens for ${charge.feature ?? 'calls with no feature'}`,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: instant(addDays(charge.day, 1)),
    ChargePeriodStart: instant(charge.day),
    ConsumedQuantity: tokens,
    ConsumedUnit: 'Tokens',
    ContractedCost: charge.spend_usd,
    EffectiveCost: charge.spend_usd,
    InvoiceIssuerName: provider,
    ListCost: listCost ?? charge.spend_usd,
    PricingCategory: 'Standard',
    // tokens / 1e6, exactly: tokens x 1000 read as nano-units
    PricingQuantity: fromNanos(BigInt(tokens) * 1000n),
    PricingUnit: '1000000 Tokens',
    ProviderName: provider,
    PublisherName: provider,
    ServiceCategory: 'AI and Machine Learning',
    ServiceName: `${provider} API`,
    SkuId: charge.model,
    Tags: JSON.stringify(tags),
    x_Calls: charge.calls,
    x_InputTokens: charge.input_tokens,
    x_CachedInputTokens: charge.cached_input_tokens,
    x_CacheWriteInputTokens: charge.cache_write_input_tokens,
    x_OutputTokens: charge.output_tokens,
  };
}

/** A UTC day's midnight as FOCUS writes a moment: `2026-11-01T00:00:00Z`. */
function instant(day: string): string {
  return `${day}T00:00:00Z`;
}

/** The export as CSV: a header of FOCUS column names, one line per charge, nulls as empty fields. */
export function focusCsv(rows: FocusRow[]): string {
  return toCsv(rows, [...focusColumns]);
}
