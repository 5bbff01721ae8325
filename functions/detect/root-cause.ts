import { median } from 'simple-statistics';
import { addDays } from '../time/days.js';
import type { DetectContext } from './detector.js';
import { share } from './estimates.js';
import { sliceDayRows, type SliceDayRow } from './ledger-reads.js';

/**
 * Which slice of a feature's spend carries an anomaly's excess, the way cloud cost anomaly detection names a root
 * cause. For each dimension (model, segment, prompt_id, customer_id) and value, the excess on the anomaly's days is
 * its spend minus the median of the same weekday over the 4 weeks before; the value with the largest excess is that
 * dimension's top contributor. The root cause is the contributor that is most out of proportion: among those
 * carrying at least half the excess, the one whose share of the excess most exceeds its usual share of the spend
 * (a customer with 1% of the usual spend and 97% of the excess beats the model that serves everyone).
 */

export type Dimension = SliceDayRow['dimension'];

export interface Contributor {
  dimension: Dimension;
  value: string | null;
  excess_usd: number;
  /** Its share of the anomaly's excess. */
  share: number;
  /** Its share of the spend on the same weekdays before. */
  usual_share: number;
}

export interface RootCause {
  /** The root cause among model, segment and prompt_id (the finding's subject), if any slice carries excess. */
  cause: Contributor | undefined;
  /** The top contributor of each dimension, customer_id included. */
  top: Contributor[];
}

const subjectDimensions: readonly Dimension[] = ['model', 'segment', 'prompt_id'];
const dimensionOrder: readonly Dimension[] = ['model', 'segment', 'prompt_id', 'customer_id'];

/** The root cause of a feature's excess over `days` (consecutive anomaly days), given the excess in dollars. */
export async function rootCause(context: DetectContext, feature: string | null, days: string[], excessUsd: number): Promise<RootCause> {
  const needed = [...new Set(days.flatMap((day) => [0, 1, 2, 3, 4].map((k) => addDays(day, -7 * k))))].sort();
  const rows = await sliceDayRows(context, feature, needed, needed[0]!, addDays(needed.at(-1)!, 1));
  return rootCauseOf(rows, days, excessUsd);
}

/** The computation of rootCause, on given rows. */
export function rootCauseOf(rows: readonly SliceDayRow[], days: readonly string[], excessUsd: number): RootCause {
  const spend = new Map<string, number>();
  const id = (dimension: string, value: string | null, day: string) => JSON.stringify([dimension, value, day]);
  const values = new Map<Dimension, Set<string | null>>();
  for (const row of rows) {
    spend.set(id(row.dimension, row.value, row.day), (spend.get(id(row.dimension, row.value, row.day)) ?? 0) + row.spend_usd);
    if (!values.has(row.dimension)) values.set(row.dimension, new Set());
    values.get(row.dimension)!.add(row.value);
  }
  const top: Contributor[] = [];
  for (const [dimension, set] of values) {
    let best: Contributor | undefined;
    let usualTotal = 0;
    const usual = new Map<string | null, number>();
    for (const value of set) {
      let excess = 0;
      let before = 0;
      for (const day of days) {
        const past = [1, 2, 3, 4].map((k) => spend.get(id(dimension, value, addDays(day, -7 * k))) ?? 0);
        excess += (spend.get(id(dimension, value, day)) ?? 0) - median(past);
        before += past.reduce((a, b) => a + b, 0);
      }
      usual.set(value, before);
      usualTotal += before;
      const tie = best !== undefined && Math.abs(excess - best.excess_usd) <= 1e-9;
      if (!best || (excess > best.excess_usd && !tie) || (tie && String(value) < String(best.value))) {
        best = { dimension, value, excess_usd: excess, share: 0, usual_share: 0 };
      }
    }
    if (!best || best.excess_usd <= 0) continue;
    best.share = share(excessUsd > 0 ? Math.min(1, best.excess_usd / excessUsd) : 0);
    best.usual_share = share(usualTotal > 0 ? (usual.get(best.value) ?? 0) / usualTotal : 0);
    top.push(best);
  }
  top.sort((a, b) => dimensionOrder.indexOf(a.dimension) - dimensionOrder.indexOf(b.dimension));
  const lift = (c: Contributor) => c.share / Math.max(c.usual_share, 0.001);
  const candidates = top.filter((c) => subjectDimensions.includes(c.dimension));
  const majority = candidates.filter((c) => c.share >= 0.5).sort((a, b) => lift(b) - lift(a));
  const cause = majority[0] ?? [...candidates].sort((a, b) => b.share - a.share)[0];
  return { cause, top };
}
