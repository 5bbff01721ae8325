import { catalogPrices } from '../pricing/catalog.js';
import type { ModelKey, PricePeriod } from '../pricing/price-period.js';
import { fromNanos, toNanos } from '../money.js';

/** The tokens of one charge whose list price is wanted. */
export interface ListPricedUsage extends ModelKey {
  /** `YYYY-MM-DD`: the day whose catalog price applies. */
  day: string;
  /** All input tokens, cached reads and cache writes included. */
  input_tokens: number;
  output_tokens: number;
}

/**
 * List cost: what the same tokens cost at the provider's public price on their day, from the catalog bundled with
 * @pydantic/genai-prices (functions/pricing/catalog.ts), ignoring negotiated rates and prompt caching:
 *
 *   list_cost_usd = (input_tokens x input_usd_per_mtok + output_tokens x output_usd_per_mtok) / 1e6
 *
 * Cached reads and cache writes count as ordinary input tokens at the list input rate: list cost is the price of
 * the work without any reduction, so that ListCost - EffectiveCost in the FOCUS export is the saving from
 * negotiated prices and the prompt cache together (cache writes, which cost more than input on some providers,
 * reduce that saving). A model the catalog does not know has no list price: `null`, and the caller falls back as
 * the FOCUS specification says (ListCost = BilledCost when there is no list unit price).
 *
 * Exact: a rate of R USD per million tokens is R x 1e9 femto-dollars per token, a whole number (rates have at most
 * 9 decimals), so the cost is summed in integer femto-dollars and rounded half up to the nano-dollar once, as the
 * load prices calls (sql/duckdb/new_calls.sql).
 */
export function listCosts(usages: ListPricedUsage[]): (string | null)[] {
  const { periods } = catalogPrices(usages.map(({ provider, model }) => ({ provider, model })));
  return usages.map((usage) => {
    const period = periods.find((p) => p.provider === usage.provider && p.model === usage.model && covers(p, usage.day));
    if (!period) return null;
    // toNanos reads a decimal to 9 places as a whole number: for a rate per million tokens, femto-dollars per token
    const femto =
      BigInt(usage.input_tokens) * toNanos(period.input_usd_per_mtok) + BigInt(usage.output_tokens) * toNanos(period.output_usd_per_mtok);
    return fromNanos((femto + 500_000n) / 1_000_000n);
  });
}

function covers(period: PricePeriod, day: string): boolean {
  return (period.effective_from === null || period.effective_from <= day) && (period.effective_to === null || day < period.effective_to);
}
