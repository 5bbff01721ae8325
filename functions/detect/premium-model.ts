import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatCount } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type DetectContext, type Detector } from './detector.js';
import { rounded, share, usd } from './estimates.js';
import { dayModelRows, type DayModelRow } from './ledger-reads.js';
import { modelRates } from './model-rates.js';
import { cheaperModelsPassingBar, modelUsage, type RoutingOption } from './routing.js';
import { daysOf, groupBy, total } from './series.js';

/**
 * premium_model_default: a feature runs mostly on an expensive model while a cheaper one has already passed the
 * feature's quality bar in the feature's own calls: the reflex of defaulting to the most capable model.
 *
 * The computation is routing.ts's cheaperModelsPassingBar (shared with the routing advice): traffic and token mix
 * over the last 28 days, quality evidence over the switches window. A finding when the main model serves at least
 * premium.min_share (60%) of the feature's requests and its best option saves at least premium.min_saving_share
 * (20%); a warn from premium.warn_saving_usd_month ($50) a month, info below. Its onset is the first day of the
 * trailing run of days on which the main model carried that share.
 */

export const premiumModelDefault: Detector = {
  name: 'premium_model_default',
  kinds: ['premium_model_default'],
  lookbackDays: (config) => config.detectors.lookback_days.switches,
  detect: async (context) => {
    const p = context.config.detectors.premium;
    const rows = await dayModelRows(context);
    const options = await readRoutingOptions(context);
    const best = [...groupBy(options, (o) => o.feature).values()].map((o) => o[0]!).filter((o) => o.from.share >= p.min_share);
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.switches);
    return best.map((o) => premiumFinding(o, onset(rows, o, window.from, window.to, p.min_share), Number(p.warn_saving_usd_month), context.asOf));
  },
};

/** Days of traffic that set the main model, its token mix and its monthly spend. */
export const recentDays = 28;

/** The routing options of every feature as of the context's day (see routing.ts). */
export async function readRoutingOptions(context: DetectContext): Promise<RoutingOption[]> {
  const { asOf, config } = context;
  const rows = await dayModelRows(context);
  const window = lookbackWindow(asOf, config.detectors.lookback_days.switches);
  const recent = modelUsage(rows, addDays(asOf, -recentDays), asOf);
  const scored = modelUsage(rows, window.from, window.to);
  const rates = modelRates(config, scored, addDays(asOf, -1));
  const p = config.detectors.premium;
  return cheaperModelsPassingBar(recent, scored, config, rates, { minQualitySamples: p.min_quality_samples, minSavingShare: p.min_saving_share });
}

/** The first day of the trailing run of days (of 10 requests or more) on which the main model had at least `minShare`. */
function onset(rows: readonly DayModelRow[], option: RoutingOption, from: string, to: string, minShare: number): string {
  const mine = rows.filter((r) => r.feature === option.feature);
  const byDay = groupBy(mine, (r) => r.day);
  let first = to;
  for (const day of daysOf(from, to).reverse()) {
    const group = byDay.get(day);
    if (!group) continue;
    const requests = total(group, (r) => r.requests);
    if (requests < 10) continue; // too few to say which model carries the day
    const main = total(group.filter((r) => r.model === option.from.model && r.provider === option.from.provider), (r) => r.requests);
    if (main / requests < minShare) break;
    first = day;
  }
  return first === to ? addDays(to, -1) : first;
}

function premiumFinding(o: RoutingOption, since: string, warnAt: number, asOf: string): DetectedFinding {
  const q = o.to.quality;
  return {
    key: findingKey('premium_model_default', o.feature, o.from.model),
    kind: 'premium_model_default',
    severity: o.saving_usd_month >= warnAt ? 'warn' : 'info',
    feature: o.feature,
    subject: o.from.model,
    first_seen: dayStamp(since),
    last_seen: dayStamp(addDays(asOf, -1)),
    impact_usd_month: usd(o.saving_usd_month),
    summary:
      `${o.feature} runs ${Math.round(o.from.share * 100)}% of its requests on ${o.from.model} while ${o.to.model} passed its quality bar of ` +
      `${o.quality_bar.toFixed(2)} over ${formatCount(q.n)} scored calls of its own (${q.mean.toFixed(2)}` +
      (o.from.quality ? `, against ${o.from.quality.mean.toFixed(2)}` : '') +
      `) at ${Math.round(o.cost_ratio * 100)}% of the price; routing to it would save about ${formatUsd(usd(o.saving_usd_month))} a month.`,
    evidence: {
      model: o.from.model,
      share_of_requests: share(o.from.share),
      spend_usd_month: usd(o.from.spend_usd_month),
      quality: o.from.quality ? rounded(o.from.quality.mean, 3) : null,
      quality_bar: o.quality_bar,
      cheaper_model: o.to.model,
      cheaper_model_quality: rounded(q.mean, 3),
      cheaper_model_quality_se: rounded(q.se, 2),
      cheaper_model_scored_calls: q.n,
      cost_ratio: rounded(o.cost_ratio, 3),
      saving_usd_month: usd(o.saving_usd_month),
      price_basis: o.basis,
    },
    ongoing: true,
  };
}
