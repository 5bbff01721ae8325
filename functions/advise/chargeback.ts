import { featureConfig, type FinopsConfig } from '../config/finops-config.js';
import { share } from '../detect/estimates.js';
import { formatCount, formatPercent } from '../format/table.js';
import { formatUsd, sumUsd, toNanos } from '../money.js';
import { chargebackReport, type Chargeback, type ChargebackLine } from '../reports/chargeback.js';
import { monthCharges, type Charge } from '../reports/month-charges.js';
import { addMonths } from '../time/days.js';
import { adviceKey, type Advice } from './advice.js';
import type { Advisor } from './advisor.js';

/**
 * Chargeback advice: every segment's bill for the last closed month (the month before the as-of day's), so the
 * month-end report hands each one its share of the AI spend. The bill is the chargeback report's, computed once
 * (functions/reports/chargeback.ts, by segment, checked against the ledger to the nano-dollar): its spend, calls,
 * tokens, outcomes and cost per outcome, and its share of the month's total = segment spend / total spend. Advice
 * to bill is not a saving: saving_usd_month is null.
 *
 * Then the spend nobody can be billed for. As CONTRACT.md counts it (and the unattributed_spend finding), a call is
 * unattributed when it has no feature or no segment; its share is the month's exact unattributed spend over the
 * total, from the month's charges at day x provider x model x segment x feature (reports/month-charges.ts, the
 * only grain that sees both owners of a call, checked against the ledger too). Above
 * `detectors.unattributed.max_share` one more row says who to tag: the features whose calls carry no segment (most
 * spend first, with their owners), and the models whose calls carry no feature.
 */

/** How many features, or models, the unattributed advice names before it says how many more there are. */
const named = 3;

export const chargebackAdvisor: Advisor = {
  name: 'chargeback',
  advise: async (context) => {
    const month = addMonths(context.asOf.slice(0, 7), -1);
    const bill = await chargebackReport(context.engine, month, 'segment');
    if (bill.lines.length === 0) return [];
    const segments: Advice[] = bill.lines.filter((line) => line.owner !== null).map((line) => segmentAdvice(bill, line));
    const charges = await monthCharges(context.engine, month, 'chargeback advice');
    const unattributed = unattributedAdvice(bill, charges, context.config);
    return unattributed === null ? segments : [...segments, unattributed];
  },
};

/** A part of the month's total spend, as a share rounded for the record; null when the month spent nothing. */
function shareOf(amount: string, total: string): number | null {
  return toNanos(total) === 0n ? null : share(Number(toNanos(amount)) / Number(toNanos(total)));
}

function segmentAdvice(bill: Chargeback, line: ChargebackLine): Advice {
  const segment = line.owner!;
  const portion = shareOf(line.spend_usd, bill.total.spend_usd);
  const outcomes =
    line.outcomes === 0
      ? 'no outcomes'
      : `${formatCount(line.outcomes)} outcome${line.outcomes === 1 ? '' : 's'} at ${formatUsd(line.cost_per_outcome_usd)} each`;
  return {
    key: adviceKey('chargeback', null, segment),
    advisor: 'chargeback',
    feature: null,
    subject: segment,
    summary:
      `Bill ${segment} ${formatUsd(line.spend_usd)} for ${bill.month}: ${formatPercent(portion)} of the month's ` +
      `${formatUsd(bill.total.spend_usd)}, ${formatCount(line.calls)} calls and ${formatCount(line.tokens, true)} tokens for ${outcomes}.`,
    saving_usd_month: null,
    inputs: {
      month: bill.month,
      segment,
      calls: line.calls,
      requests: line.requests,
      tokens: line.tokens,
      spend_usd: line.spend_usd,
      outcomes: line.outcomes,
      cost_per_outcome_usd: line.cost_per_outcome_usd,
      share_of_total: portion,
      total_spend_usd: bill.total.spend_usd,
      unpriced_calls: line.unpriced_calls,
    },
  };
}

/** Spend summed per name, most first (ties by name), exact. */
function spendBy(charges: readonly Charge[], name: (charge: Charge) => string): { name: string; spend_usd: string }[] {
  const sums = new Map<string, string[]>();
  for (const charge of charges) sums.set(name(charge), [...(sums.get(name(charge)) ?? []), charge.spend_usd]);
  return [...sums]
    .map(([key, amounts]) => ({ name: key, spend_usd: sumUsd(amounts) }))
    .filter((part) => toNanos(part.spend_usd) > 0n)
    .sort((a, b) => {
      const difference = toNanos(b.spend_usd) - toNanos(a.spend_usd);
      return difference !== 0n ? (difference > 0n ? 1 : -1) : a.name.localeCompare(b.name);
    });
}

/** "a ($1.00)", "a ($1.00) and b ($0.50)", "a ($1.00), b ($0.50), c ($0.20) and 2 more" */
function listed(parts: { label: string; spend_usd: string }[]): string {
  const shown = parts.slice(0, named).map((p) => `${p.label} (${formatUsd(p.spend_usd)})`);
  const items = parts.length > named ? [...shown, `${parts.length - named} more`] : shown;
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

function unattributedAdvice(bill: Chargeback, charges: readonly Charge[], config: FinopsConfig): Advice | null {
  const maxShare = config.detectors.unattributed.max_share;
  const unsegmented = charges.filter((c) => c.feature !== null && c.segment === null);
  const featureless = charges.filter((c) => c.feature === null);
  const spend = sumUsd([...unsegmented, ...featureless].map((c) => c.spend_usd));
  if (toNanos(bill.total.spend_usd) === 0n || Number(toNanos(spend)) / Number(toNanos(bill.total.spend_usd)) <= maxShare) return null;
  const portion = shareOf(spend, bill.total.spend_usd);

  const features = spendBy(unsegmented, (c) => c.feature!).map((f) => ({ ...f, owner: featureConfig(config, f.name).owner }));
  const models = spendBy(featureless, (c) => c.model);
  const owned = features.map((f) => ({ label: f.owner === null ? f.name : `${f.name}, owner ${f.owner}`, spend_usd: f.spend_usd }));
  const asks = [
    ...(features.length > 0 ? [`add a segment to the calls of ${listed(owned)}`] : []),
    ...(models.length > 0 ? [`set a feature on the calls to ${listed(models.map((m) => ({ label: m.name, spend_usd: m.spend_usd })))}`] : []),
  ];
  return {
    key: adviceKey('chargeback', null, null),
    advisor: 'chargeback',
    feature: null,
    subject: null,
    summary:
      `Tag the calls nobody can be billed for: ${formatPercent(portion)} of ${bill.month}'s spend (${formatUsd(spend)} of ` +
      `${formatUsd(bill.total.spend_usd)}) has no segment or no feature, above the ${formatPercent(maxShare)} allowed: ${asks.join('; ')}.`,
    saving_usd_month: null,
    inputs: {
      month: bill.month,
      unattributed_spend_usd: spend,
      share_of_total: portion,
      max_share: maxShare,
      total_spend_usd: bill.total.spend_usd,
      no_segment_spend_usd: sumUsd(unsegmented.map((c) => c.spend_usd)),
      no_feature_spend_usd: sumUsd(featureless.map((c) => c.spend_usd)),
      features_missing_segments: features.map((f) => ({ feature: f.name, owner: f.owner, spend_usd: f.spend_usd })),
      models_missing_features: models.map((m) => ({ model: m.name, spend_usd: m.spend_usd })),
    },
  };
}
