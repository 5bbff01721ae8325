/**
 * One row of the price table that prices ledger rows without `cost_usd` at load time. The load joins each call to
 * the period whose (provider, model) equals the row's and whose dates contain the row's UTC day, then computes, in
 * DECIMAL(38,9) / NUMERIC:
 *
 *   cost_usd = ((input_tokens - cached_input_tokens - cache_write_input_tokens) * input_usd_per_mtok
 *               + cached_input_tokens * cached_input_usd_per_mtok
 *               + cache_write_input_tokens * cache_write_input_usd_per_mtok
 *               + output_tokens * output_usd_per_mtok) / 1e6
 *
 * (`input_tokens` includes cached and cache-written tokens, after the OpenTelemetry GenAI convention.)
 *
 * Rates are exact decimal strings of USD per million tokens with at most 9 places after the point, so SQL casts
 * them to DECIMAL(38,9) / NUMERIC without loss; they never pass through a float column. Costs are not computed
 * here: the SQL does, and rounds once, to 9 places (a nano-dollar), at the end.
 *
 * Periods for one (provider, model) never overlap, so the join finds at most one rate per row.
 */
export interface PricePeriod {
  /** As the ledger row names it; null when the row had no provider. */
  provider: string | null;
  /** As the ledger row names it. */
  model: string;
  /** 'YYYY-MM-DD', inclusive; null means since forever. */
  effective_from: string | null;
  /** 'YYYY-MM-DD', exclusive; null means until further notice. */
  effective_to: string | null;
  /** USD per million uncached input tokens. */
  input_usd_per_mtok: string;
  /** USD per million cache-read input tokens; the input rate where the source has no cache-read rate. */
  cached_input_usd_per_mtok: string;
  /** USD per million cache-write input tokens; the input rate where the source has no cache-write rate. */
  cache_write_input_usd_per_mtok: string;
  /** USD per million output tokens (reasoning tokens included). */
  output_usd_per_mtok: string;
  /** Matches the ledger's `cost_source` for rows priced from this period. */
  source: 'catalog' | 'negotiated';
  /** The catalog entry that matched, as `provider:model` in genai-prices' ids, for audit; null for negotiated. */
  catalog_model_id: string | null;
}

/** A distinct (provider, model) pair as the ledger names it. */
export interface ModelKey {
  provider: string | null;
  model: string;
}

/** The shape every rate string has: a plain non-negative decimal with at most 9 places after the point. */
export const RATE_PATTERN = /^\d+(\.\d{1,9})?$/;

/** Places after the point that DECIMAL(38,9) and BigQuery NUMERIC keep. */
const SCALE = 9;

/**
 * Prints a non-negative JS number as an exact decimal string for SQL: the shortest decimal that round-trips to the
 * same double (what `String(n)` prints), written out without an exponent, then rounded half-up to 9 places and
 * stripped of trailing zeros.
 *
 * Why shortest round-trip: the catalog's 0.15 is the double nearest to 0.15, and its shortest round-trip spelling is
 * '0.15', the number the catalog's authors wrote; the double's exact binary value (0.1499999999999999944...) is not.
 * Why round to 9 places: SQL keeps 9, and the few longer values in the data are float noise from the catalog's
 * own arithmetic (0.18000000000000002 becomes '0.18') or repeating fractions (1/12 becomes '0.083333333').
 *
 * @throws {RangeError} for a negative, infinite or NaN input: a price is never any of those.
 * @example rateString(0.15) // '0.15'
 * @example rateString(1.25e-7) // '0.000000125' (String() would print '1.25e-7')
 * @example rateString(0.18000000000000002) // '0.18'
 */
export function rateString(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`a price must be a finite non-negative number, got ${n}`);
  const [intPart, fracPart] = plainDecimal(String(n)).split('.') as [string, string | undefined];
  const frac = fracPart ?? '';
  if (frac.length <= SCALE) return trimZeros(intPart, frac);
  // Round half-up at the 9th place, by carrying through the digit string.
  const digits = (intPart + frac.slice(0, SCALE)).split('').map(Number);
  if (Number(frac[SCALE]) >= 5) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i >= 0) digits[i]! += 1;
    else digits.unshift(1);
  }
  const all = digits.join('');
  return trimZeros(all.slice(0, all.length - SCALE), all.slice(all.length - SCALE));
}

/** Expands `String(n)`'s exponent form ('1.25e-7', '1e+21') into plain digits. */
function plainDecimal(s: string): string {
  const e = s.indexOf('e');
  if (e < 0) return s;
  const exponent = Number(s.slice(e + 1));
  const [i, f = ''] = s.slice(0, e).split('.') as [string, string | undefined];
  const digits = i + f;
  const point = i.length + exponent; // where the point goes, counted from the left of `digits`
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}

function trimZeros(intPart: string, frac: string): string {
  const i = intPart.replace(/^0+(?=\d)/, '');
  const f = frac.replace(/0+$/, '');
  return f === '' ? i : `${i}.${f}`;
}
