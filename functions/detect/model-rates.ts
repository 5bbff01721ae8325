import type { FinopsConfig } from '../config/finops-config.js';
import { readNegotiatedPrices } from '../pricing/negotiated.js';
import { priceList } from '../pricing/price-list.js';
import type { ModelKey, PricePeriod } from '../pricing/price-period.js';

/**
 * A model's token rates on a day, in USD per token, for estimates: what a prompt's extra tokens cost, what a lost
 * cache hit costs, what a feature's calls would cost on a cheaper model. The same price list the loader prices
 * calls with (negotiated rates over the catalog, functions/pricing/), as numbers: these feed estimates, not the bill.
 */
export interface TokenRates {
  input: number;
  cachedInput: number;
  cacheWriteInput: number;
  output: number;
}

/** Token counts in the ledger's convention: `input` includes cached and cache-written tokens. */
export interface TokenMix {
  input: number;
  cachedInput: number;
  cacheWriteInput: number;
  output: number;
}

/** Rates for each (provider, model) on `day`; a model no price list knows is absent. */
export function modelRates(config: FinopsConfig, models: ModelKey[], day: string): Map<string, TokenRates> {
  const negotiated = config.pricing.negotiated_prices ? readNegotiatedPrices(config.pricing.negotiated_prices) : [];
  const { periods } = priceList(models, negotiated);
  const rates = new Map<string, TokenRates>();
  for (const period of periods) {
    if (!covers(period, day)) continue;
    rates.set(modelId(period), {
      input: Number(period.input_usd_per_mtok) / 1e6,
      cachedInput: Number(period.cached_input_usd_per_mtok) / 1e6,
      cacheWriteInput: Number(period.cache_write_input_usd_per_mtok) / 1e6,
      output: Number(period.output_usd_per_mtok) / 1e6,
    });
  }
  return rates;
}

/** The map key of a (provider, model) pair. */
export function modelId(key: ModelKey): string {
  return JSON.stringify([key.provider, key.model]);
}

/** What a mix of tokens costs at some rates, the way the loader prices a call. */
export function mixCost(mix: TokenMix, rates: TokenRates): number {
  const uncached = Math.max(0, mix.input - mix.cachedInput - mix.cacheWriteInput);
  return uncached * rates.input + mix.cachedInput * rates.cachedInput + mix.cacheWriteInput * rates.cacheWriteInput + mix.output * rates.output;
}

function covers(period: PricePeriod, day: string): boolean {
  return (period.effective_from === null || period.effective_from <= day) && (period.effective_to === null || day < period.effective_to);
}
