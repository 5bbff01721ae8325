import { fromNanos, toNanos } from '../money.js';
import { priceList } from './price-list.js';
import type { PricePeriod } from './price-period.js';

/**
 * The cost of one call from the price list, in TypeScript, for ingest batches: the same rates and the same
 * arithmetic as sql/duckdb/new_calls.sql, so a call costs the same to the nano-dollar whichever path landed it.
 *
 * A rate of R USD per million tokens (at most 9 decimals) is R x 1e9 femto-dollars (1e-15 USD) per token, a whole
 * number: exactly toNanos(R). The cost in femto-dollars is the uncached input tokens (input_tokens counts cached
 * reads and cache writes too) at the input rate, plus each other kind at its own rate, summed as BigInt; rounded
 * half up to nano-dollars (femto / 1e6) it is the DECIMAL(38, 9) cost.
 *
 * The periods of a (provider, model) are looked up once per pricer (priceList layers negotiated periods over the
 * catalog's, never overlapping) and kept, and a call's day is found among them: prices change with a deploy or the
 * config, never within one config. Model names come from clients, so the kept periods are dropped whole past
 * maxCachedModels keys: a stream of made-up names costs look-ups, never unbounded memory.
 */

export interface CallToPrice {
  provider: string | null;
  model: string;
  /** ISO 8601, UTC: its first ten characters are the UTC day. */
  ts: string;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
}

export interface CallCost {
  /** Decimal USD with 9 places, or null when no price list knows the model on that day. */
  cost_usd: string | null;
  /** The period's source (`catalog` or `negotiated`), or `unpriced`; `given` for a cost the record carried. */
  cost_source: PricePeriod['source'] | 'unpriced' | 'given';
}

interface FemtoRates {
  input: bigint;
  cached: bigint;
  cacheWrite: bigint;
  output: bigint;
  source: PricePeriod['source'];
}

/** A price period's days, [from, to) (null: open), with its rates. */
interface PeriodRates extends FemtoRates {
  from: string | null;
  to: string | null;
}

const femtoPerNano = 1_000_000n;

/** How many (provider, model) keys a pricer keeps the periods of before it starts afresh. */
export const maxCachedModels = 10_000;

export class CallPricer {
  private readonly periods = new Map<string, PeriodRates[]>();

  constructor(private readonly negotiated: PricePeriod[] = []) {}

  cost(call: CallToPrice): CallCost {
    const rates = this.ratesOn(call.provider, call.model, call.ts.slice(0, 10));
    if (rates === null) return { cost_usd: null, cost_source: 'unpriced' };
    const uncached = call.input_tokens - call.cached_input_tokens - call.cache_write_input_tokens;
    const femto =
      BigInt(uncached) * rates.input +
      BigInt(call.cached_input_tokens) * rates.cached +
      BigInt(call.cache_write_input_tokens) * rates.cacheWrite +
      BigInt(call.output_tokens) * rates.output;
    return { cost_usd: fromNanos((femto + femtoPerNano / 2n) / femtoPerNano), cost_source: rates.source };
  }

  /** The rates of the period holding `day` ([effective_from, effective_to)), or null when there is none. */
  private ratesOn(provider: string | null, model: string, day: string): FemtoRates | null {
    const key = `${provider ?? ''}\u0000${model}`;
    let periods = this.periods.get(key);
    if (periods === undefined) {
      if (this.periods.size >= maxCachedModels) this.periods.clear();
      periods = priceList([{ provider, model }], this.negotiated).periods.map((period) => ({
        from: period.effective_from,
        to: period.effective_to,
        input: toNanos(period.input_usd_per_mtok),
        cached: toNanos(period.cached_input_usd_per_mtok),
        cacheWrite: toNanos(period.cache_write_input_usd_per_mtok),
        output: toNanos(period.output_usd_per_mtok),
        source: period.source,
      }));
      this.periods.set(key, periods);
    }
    return periods.find((p) => (p.from === null || p.from <= day) && (p.to === null || day < p.to)) ?? null;
  }

  /** How many (provider, model) keys the pricer keeps periods for. */
  get cachedModels(): number {
    return this.periods.size;
  }
}
