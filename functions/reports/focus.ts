import type { Engine } from '../engine/engine.js';
import { toCsv } from '../format/csv.js';
import { fromNanos, sumUsd } from '../money.js';
import { sqlFile } from '../sql/files.js';
import { addDays, monthRange } from '../time/days.js';
import { assertMatchesLedger } from './ledger-total.js';
import { listCosts } from './list-cost.js';

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
 * - ChargeCategory "Usage", ChargeClass null (no corrections), ChargeFrequency "Usage-Based", ServiceCategory
 *   "AI and Machine Learning", BillingCurrency "USD", SkuId the model id, ServiceName the provider's API.
 * - Date/times in ISO 8601 UTC with seconds and Z (DateTimeFormat): ChargePeriod is the day [00:00, next 00:00),
 *   BillingPeriod the month [first 00:00, next first 00:00).
 * - Tags: a JSON object (KeyValueFormat) with the row's `feature` and `segment`, a key left out when the call had none.
 * - Decimals are plain decimals with up to 9 places (NumericFormat); x_ columns (the spec's prefix for custom columns)
 *   carry the ledger's own counts for audit.
 */

/** The columns of the export, in order. */
export const focusColumns = [
  'BilledCost',
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

/** One rolled-up charge as sql/reports/focus_by_day_model_segment.sql returns it. */
interface Charge {
  day: string;
  provider: string | null;
  model: string;
  segment: string | null;
  feature: string | null;
  calls: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  spend_usd: string;
}

/** Display names of the providers the ledger most often names; any other provider is written as it is. */
const providerNames: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  mistral: 'Mistral AI',
  cohere: 'Cohere',
  deepseek: 'DeepSeek',
  'x-ai': 'xAI',
  azure: 'Microsoft Azure',
  'aws-bedrock': 'Amazon Web Services',
};

/**
 * The FOCUS rows of a month. Checked like every bill: the BilledCost of the rows adds up to the ledger's spend for
 * the month, to the nano-dollar, or this throws (ledger-total.ts).
 */
export async function focusReport(engine: Engine, month: string): Promise<FocusRow[]> {
  const range = monthRange(month);
  const charges = (await engine.query(
    sqlFile('reports/focus_by_day_model_segment.sql'),
    { month_start: range.from, month_end: range.to },
    { labels: { job: 'report' } },
  )) as unknown as Charge[];
  await assertMatchesLedger(
    engine,
    month,
    { calls: charges.reduce((n, c) => n + c.calls, 0), spend_usd: sumUsd(charges.map((c) => c.spend_usd)) },
    'FOCUS export',
  );
  const list = listCosts(charges);
  return charges.map((charge, i) => focusRow(charge, list[i] ?? null, range));
}

function focusRow(charge: Charge, listCost: string | null, billingPeriod: { from: string; to: string }): FocusRow {
  const tokens = charge.input_tokens + charge.output_tokens;
  const provider = charge.provider === null ? 'Unknown provider' : (providerNames[charge.provider.toLowerCase()] ?? charge.provider);
  const tags: Record<string, string> = {};
  if (charge.feature !== null) tags.feature = charge.feature;
  if (charge.segment !== null) tags.segment = charge.segment;
  return {
    BilledCost: charge.spend_usd,
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
