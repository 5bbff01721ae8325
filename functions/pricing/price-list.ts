import { catalogPrices, distinct } from './catalog.js';
import type { ModelKey, PricePeriod } from './price-period.js';

/**
 * The price table for a load: for each distinct (provider, model) pair the ledger names, the periods that price
 * its rows, negotiated rates first and catalog list prices around them.
 *
 * Layering. For one pair, three layers apply, each winning over the ones below it within its own dates:
 *   1. negotiated periods naming the pair's provider (compared case-insensitively, as is the model);
 *   2. negotiated periods with no provider, which apply to the model under any provider;
 *   3. the catalog's periods (functions/pricing/catalog.ts).
 * A lower period is cut around the higher ones, so a catalog price open since forever becomes "until the contract
 * starts" and "from the day it ends": periods for one pair never overlap, and the join finds one rate per row.
 *
 * Output. Periods carry the ledger's own provider and model strings, so the join compares them exactly. Only the
 * given pairs get periods; a negotiated rate for a model no row uses is simply not needed. A pair left without any
 * period is in `unknown`. A pair whose periods do not cover every day (a negotiated rate for a model the catalog
 * does not know, say) leaves the rows outside them unpriced: the join finds nothing and reports them.
 *
 * @example priceList([{ provider: 'openai', model: 'gpt-4o' }], [contract2025]) // catalog | contract | catalog
 */
export function priceList(models: ModelKey[], negotiated: PricePeriod[] = []): { periods: PricePeriod[]; unknown: ModelKey[] } {
  const pairs = distinct(models);
  const catalog = catalogPrices(pairs);
  const periods: PricePeriod[] = [];
  const unknown: ModelKey[] = [];
  for (const pair of pairs) {
    const sameModel = (p: PricePeriod) => p.model.toLowerCase() === pair.model.toLowerCase();
    const listed = catalog.periods.filter((p) => p.provider === pair.provider && p.model === pair.model);
    const anyProvider = negotiated.filter((p) => p.provider === null && sameModel(p));
    const named = negotiated.filter(
      (p) => p.provider !== null && pair.provider !== null && p.provider.toLowerCase() === pair.provider.toLowerCase() && sameModel(p),
    );
    const layered = overlay(overlay(listed, anyProvider), named)
      .map((p) => ({ ...p, provider: pair.provider, model: pair.model }))
      .sort((a, b) => compareStarts(a.effective_from, b.effective_from));
    if (layered.length === 0) unknown.push(pair);
    periods.push(...layered);
  }
  return { periods, unknown };
}

/**
 * The `top` periods, plus what is left of each `bottom` period outside all of them. Both lists are assumed free of
 * overlaps within themselves (catalog.ts and negotiated.ts guarantee it).
 *
 * @example overlay([forever], [[2025-01-01, 2026-01-01)]) // [..., 2025-01-01), [2025-01-01, 2026-01-01), [2026-01-01, ...)
 */
export function overlay(bottom: PricePeriod[], top: PricePeriod[]): PricePeriod[] {
  const out: PricePeriod[] = [...top];
  for (const period of bottom) {
    let pieces = [period];
    for (const cut of top) pieces = pieces.flatMap((piece) => subtract(piece, cut));
    out.push(...pieces);
  }
  return out;
}

/** What remains of `period` outside `cut`: nothing, one piece, or the pieces before and after it. */
function subtract(period: PricePeriod, cut: PricePeriod): PricePeriod[] {
  const overlap =
    isBefore(period.effective_from, cut.effective_to) && isBefore(cut.effective_from, period.effective_to);
  if (!overlap) return [period];
  const pieces: PricePeriod[] = [];
  if (cut.effective_from !== null && isBefore(period.effective_from, cut.effective_from)) {
    pieces.push({ ...period, effective_to: cut.effective_from });
  }
  if (cut.effective_to !== null && isBefore(cut.effective_to, period.effective_to)) {
    pieces.push({ ...period, effective_from: cut.effective_to });
  }
  return pieces;
}

/**
 * Whether a start is strictly before an end, for half-open day ranges; a null start is the beginning of time and
 * a null end is the end of it.
 */
function isBefore(start: string | null, end: string | null): boolean {
  return start === null || end === null || start < end;
}

/** Orders period starts, a null start (since forever) first. */
function compareStarts(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
