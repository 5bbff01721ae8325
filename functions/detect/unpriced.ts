import type { FinopsConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatCount } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, rounded, usd } from './estimates.js';
import { dayModelRows, type DayModelRow } from './ledger-reads.js';
import { groupBy, total } from './series.js';

/**
 * unpriced_spend: calls on models no price list knows. They are never priced as zero (they land with no cost), so
 * the bill is short by what they cost. Per (provider, model) with unpriced calls in the attribution window: the
 * calls and tokens, the feature with most of them, and an estimate of the missing spend: the tokens of the last 30
 * days, a month's worth, at the feature's own average price per token on its priced calls. Always reported; a warn
 * from unpriced.warn_impact_usd_month ($10), info below. Onset: the model's first unpriced day in the window.
 */

export const unpricedSpend: Detector = {
  name: 'unpriced_spend',
  kinds: ['unpriced_spend'],
  lookbackDays: (config) => config.detectors.lookback_days.attribution,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.attribution);
    const rows = (await dayModelRows(context)).filter((r) => r.day >= window.from && r.day < window.to);
    return unpricedFindings(rows, context.config, window.to);
  },
};

/** Findings from given rows of a window ending the day before `to`. Exported for tests on given rows. */
export function unpricedFindings(rows: readonly DayModelRow[], config: FinopsConfig, to: string): DetectedFinding[] {
  const warnAt = Number(config.detectors.unpriced.warn_impact_usd_month);
  const pricePerToken = (feature: string | null) => {
    const priced = rows.filter((r) => r.feature === feature && r.priced_tokens > 0);
    const pool = priced.length > 0 ? priced : rows.filter((r) => r.priced_tokens > 0);
    const tokens = total(pool, (r) => r.priced_tokens);
    return tokens > 0 ? total(pool, (r) => r.spend_usd) / tokens : 0;
  };
  const unpriced = rows.filter((r) => r.unpriced_calls > 0);
  const groups = [...groupBy(unpriced, (r) => JSON.stringify([r.provider, r.model]))].sort(([a], [b]) => a.localeCompare(b));
  return groups.map(([, group]) => {
    const { provider, model } = group[0]!;
    const byFeature = [...groupBy(group, (r) => r.feature)].sort(
      ([a, x], [b, y]) => total(y, (r) => r.unpriced_tokens) - total(x, (r) => r.unpriced_tokens) || String(a).localeCompare(String(b)),
    );
    const feature = byFeature[0]![0];
    const days = group.map((r) => r.day).sort();
    const calls = total(group, (r) => r.unpriced_calls);
    const tokens = total(group, (r) => r.unpriced_tokens);
    const recentTokens = total(group.filter((r) => r.day >= addDays(to, -30)), (r) => r.unpriced_tokens);
    const price = pricePerToken(feature);
    const monthly = (recentTokens / 30) * daysPerMonth * price;
    const name = provider ? `${provider}/${model}` : model;
    return {
      key: findingKey('unpriced_spend', provider, model),
      kind: 'unpriced_spend',
      severity: monthly >= warnAt ? 'warn' : 'info',
      feature,
      subject: model,
      first_seen: dayStamp(days[0]!),
      last_seen: dayStamp(days.at(-1)!),
      impact_usd_month: usd(monthly),
      summary:
        `${formatCount(calls)} call${calls === 1 ? '' : 's'} (${formatCount(tokens, true)} tokens) on ${name} since ${days[0]}, ` +
        `mostly in ${feature ?? 'calls with no feature'}, have no price: about ${formatUsd(usd(monthly))} a month is missing ` +
        `from the bill; add the model to the negotiated price file.`,
      evidence: {
        provider,
        model,
        calls,
        tokens,
        tokens_last_30_days: recentTokens,
        estimated_usd_per_token: rounded(price, 4),
        estimated_usd_month: usd(monthly),
        features: Object.fromEntries(byFeature.map(([f, g]) => [f ?? '(no feature)', total(g, (r) => r.unpriced_calls)])),
      },
      ongoing: days.at(-1)! >= addDays(to, -7),
    } satisfies DetectedFinding;
  });
}
