import { calcPrice, type ConditionalPrice, type ModelInfo, type ModelPrice } from '@pydantic/genai-prices';
import { rateString, type ModelKey, type PricePeriod } from './price-period.js';

/**
 * Published list prices, from the catalog bundled with `@pydantic/genai-prices`
 * (https://github.com/pydantic/genai-prices). Offline by design: nothing here calls `updatePrices` or fetches, so
 * a load prices the same way on a laptop, in CI and in a function without egress, and a given package version
 * always gives the same prices. Upgrading the package is how prices get updated.
 *
 * Finding a model. The catalog's own matcher does it, through `calcPrice` with an empty usage: it knows each
 * provider's id and aliases (`google-vertex`, `vertex_ai` and `gemini` find Google, `aws-bedrock` and `bedrock` find
 * AWS, `azure-openai` finds OpenAI), each model's spellings and dated snapshots (`claude-sonnet-4-20250514`), and
 * which providers resell whose models (Azure falls back to OpenAI's list). We take the ModelInfo it matched and
 * read its rates. For each ledger (provider, model), in order:
 *   1. the provider, through PROVIDER_ALIASES where the catalog does not know its spelling;
 *   2. for a model written `provider/model` (LiteLLM, OpenRouter), that provider and the model after the slash;
 *   3. the model id alone (a missing or unknown provider; a gateway name such as `litellm`; a provider whose list
 *      lacks the model). The match is kept in `catalog_model_id`, so a price borrowed this way can be audited.
 * No match, or no input or output rate (embedding, image and audio-only models), leaves the pair in `unknown`:
 * its rows stay unpriced and are reported as such, never priced at zero.
 *
 * Reading the rates. Only the four token rates the ledger counts are used: `input_mtok`, `cache_read_mtok`,
 * `cache_write_mtok` (the 5-minute write; one-hour writes, `cache_write_1h_mtok`, cost more but the ledger does not
 * tell them apart) and `output_mtok`. A missing cache rate falls back to the input rate: OpenAI and Google bill
 * cache writes as ordinary input, and a provider without caching reports no cached tokens. Simplifications:
 *   - Tiered prices ({base, tiers}: a higher rate for the whole call once its prompt passes e.g. 200k tokens, as
 *     for Gemini 2.5 Pro and Claude Sonnet 4.5) take the base rate, so long-context calls are under-priced.
 *   - Time-of-day prices (DeepSeek's peak and off-peak windows) take the rate that applies outside every window,
 *     the catalog's unconstrained entry. For DeepSeek that is the off-peak rate, so calls in peak hours are
 *     under-priced (by half, for deepseek-chat during UTC 00:30-16:30).
 *   - Date-versioned prices (`start_date`) become one period per date range, resolved the way `calcPrice` resolves
 *     them (the last entry whose start date has passed wins; before all of them, the unconstrained entry), with
 *     neighbouring ranges of equal rates merged. Catalog start dates are UTC midnights, like the ledger's days.
 */

/**
 * Provider names seen in call logs that the catalog's own provider matching misses, mapped to catalog provider ids.
 * Mostly OpenTelemetry GenAI `gen_ai.provider.name` values (`gcp.gen_ai`, `az.ai.inference`, `x_ai`) and gateway
 * spellings. Keys are lowercase; the ledger's provider is lowercased and trimmed before the lookup.
 */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  'gcp.gen_ai': 'google',
  'az.ai.inference': 'azure',
  'azure_ai': 'azure',
  'azure-ai': 'azure',
  'x_ai': 'x-ai',
  'x.ai': 'x-ai',
  'deepseek-ai': 'deepseek',
  'fireworks-ai': 'fireworks',
  'fireworks_ai': 'fireworks',
  'zhipu': 'zhipuai',
  'z.ai': 'zai',
};

/** The catalog entry a ledger pair resolved to, with `provider:model` in the catalog's ids. */
interface CatalogMatch {
  info: ModelInfo;
  catalogModelId: string;
}

/**
 * Catalog prices for each distinct (provider, model) pair: one or more non-overlapping periods per known pair,
 * and the pairs the catalog cannot price.
 *
 * @example catalogPrices([{ provider: 'openai', model: 'gpt-4o-mini' }]).periods[0]
 * // { provider: 'openai', model: 'gpt-4o-mini', effective_from: null, effective_to: null,
 * //   input_usd_per_mtok: '0.15', cached_input_usd_per_mtok: '0.075', cache_write_input_usd_per_mtok: '0.15',
 * //   output_usd_per_mtok: '0.6', source: 'catalog', catalog_model_id: 'openai:gpt-4o-mini' }
 */
export function catalogPrices(models: ModelKey[]): { periods: PricePeriod[]; unknown: ModelKey[] } {
  const periods: PricePeriod[] = [];
  const unknown: ModelKey[] = [];
  for (const key of distinct(models)) {
    const match = findModel(key);
    const found = match ? modelPeriods(key, match) : [];
    if (found.length === 0) unknown.push(key);
    periods.push(...found);
  }
  return { periods, unknown };
}

/** Distinct pairs in first-seen order; provider and model are compared exactly, as the join will compare them. */
export function distinct(models: ModelKey[]): ModelKey[] {
  const seen = new Map<string, ModelKey>();
  for (const { provider, model } of models) {
    const id = JSON.stringify([provider, model]);
    if (!seen.has(id)) seen.set(id, { provider, model });
  }
  return [...seen.values()];
}

/** The catalog provider id to ask for: the alias where there is one, else the ledger's own spelling. */
export function catalogProviderId(provider: string): string {
  const name = provider.trim().toLowerCase();
  return PROVIDER_ALIASES[name] ?? name;
}

function findModel({ provider, model }: ModelKey): CatalogMatch | undefined {
  const attempts: { modelId: string; providerId?: string }[] = [];
  if (provider !== null && provider.trim() !== '') attempts.push({ modelId: model, providerId: catalogProviderId(provider) });
  const slash = model.indexOf('/');
  if (slash > 0 && slash < model.length - 1) {
    attempts.push({ modelId: model.slice(slash + 1), providerId: catalogProviderId(model.slice(0, slash)) });
  }
  attempts.push({ modelId: model });
  for (const { modelId, providerId } of attempts) {
    const match = lookup(modelId, providerId);
    if (match) return match;
  }
  return undefined;
}

/**
 * Asks the catalog's matcher which model this is. A zero usage prices nothing; only the matched ModelInfo is used.
 * A catalog entry the matcher chokes on counts as no match: its rows go unpriced and get reported, not the load.
 */
function lookup(modelId: string, providerId: string | undefined): CatalogMatch | undefined {
  try {
    const result = calcPrice({}, modelId, providerId === undefined ? { timestamp: new Date(0) } : { providerId, timestamp: new Date(0) });
    return result ? { info: result.model, catalogModelId: `${result.provider.id}:${result.model.id}` } : undefined;
  } catch {
    return undefined;
  }
}

/** A model's price history as non-overlapping periods for one ledger pair; periods without input or output rates are dropped. */
function modelPeriods(key: ModelKey, { info, catalogModelId }: CatalogMatch): PricePeriod[] {
  const periods: PricePeriod[] = [];
  for (const { from, to, prices } of dateRanges(info.prices)) {
    const rates = tokenRates(prices);
    if (!rates) continue;
    const last = periods.at(-1);
    if (last && last.effective_to === from && sameRates(last, rates)) {
      last.effective_to = to;
      continue;
    }
    periods.push({
      provider: key.provider,
      model: key.model,
      effective_from: from,
      effective_to: to,
      ...rates,
      source: 'catalog',
      catalog_model_id: catalogModelId,
    });
  }
  return periods;
}

type Rates = Pick<
  PricePeriod,
  'input_usd_per_mtok' | 'cached_input_usd_per_mtok' | 'cache_write_input_usd_per_mtok' | 'output_usd_per_mtok'
>;

function sameRates(a: Rates, b: Rates): boolean {
  return (
    a.input_usd_per_mtok === b.input_usd_per_mtok &&
    a.cached_input_usd_per_mtok === b.cached_input_usd_per_mtok &&
    a.cache_write_input_usd_per_mtok === b.cache_write_input_usd_per_mtok &&
    a.output_usd_per_mtok === b.output_usd_per_mtok
  );
}

/** The four token rates of one catalog price, or undefined when the input or the output rate is missing. */
function tokenRates(prices: ModelPrice): Rates | undefined {
  const input = baseRate(prices['input_mtok']);
  const output = baseRate(prices['output_mtok']);
  if (input === undefined || output === undefined) return undefined;
  return {
    input_usd_per_mtok: input,
    cached_input_usd_per_mtok: baseRate(prices['cache_read_mtok']) ?? input,
    cache_write_input_usd_per_mtok: baseRate(prices['cache_write_mtok']) ?? input,
    output_usd_per_mtok: output,
  };
}

/** A flat rate as is; a tiered one ({base, tiers}) by its base rate. */
function baseRate(value: ModelPrice[string]): string | undefined {
  if (typeof value === 'number') return rateString(value);
  if (typeof value === 'object' && typeof value.base === 'number') return rateString(value.base);
  return undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Splits a model's prices into date ranges [from, to) with the price `calcPrice` would use on those days, ignoring
 * time-of-day windows. The price can only change at a start date, so resolving it on each range's first day is
 * enough; the range before the first start date resolves with no date at all.
 */
function dateRanges(prices: ModelInfo['prices']): { from: string | null; to: string | null; prices: ModelPrice }[] {
  if (!Array.isArray(prices)) return [{ from: null, to: null, prices }];
  if (prices.length === 0) return [];
  const entries = prices.filter((c) => c.constraint?.type !== 'time_of_date');
  const starts = entries.flatMap((c) => (c.constraint?.type === 'start_date' ? [c.constraint.start_date] : []));
  if (starts.some((d) => !DAY.test(d))) return []; // unreadable catalog data: leave the model unpriced
  const bounds = [...new Set(starts)].sort();
  const fromDays: (string | null)[] = [null, ...bounds];
  return fromDays.map((from, i) => ({
    from,
    to: bounds[i] ?? null,
    prices: priceOn(entries, prices[0]!, from),
  }));
}

/**
 * The price in effect on a day, as genai-prices resolves it: scanning from the last entry back, the first
 * unconstrained entry or start date on or before the day wins; failing both, the list's first entry.
 */
function priceOn(entries: ConditionalPrice[], first: ConditionalPrice, day: string | null): ModelPrice {
  for (let i = entries.length - 1; i >= 0; i--) {
    const { constraint, prices } = entries[i]!;
    if (constraint === undefined) return prices;
    if (constraint.type === 'start_date' && day !== null && day >= constraint.start_date) return prices;
  }
  return first.prices;
}
