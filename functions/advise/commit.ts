import { coefficientOfVariation, quantileSorted } from 'simple-statistics';
import { rounded, share, usd } from '../detect/estimates.js';
import { readRoutingOptions } from '../detect/premium-model.js';
import { dailySeries, groupBy, total } from '../detect/series.js';
import { pathSums } from '../forecast/intervals.js';
import { forecastDailySpend } from '../forecast/spend-forecast.js';
import { formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { daysBetween, monthRange } from '../time/days.js';
import { adviceKey, type Advice } from './advice.js';
import type { Advisor } from './advisor.js';
import { fullMonths, monthsFrom } from './monthly.js';
import { usageRows, type UsageDayRow } from './usage.js';

/**
 * Commit pricing advice: once a model has three full months of consumption, and it is a dominant one (at least 20%
 * of the ledger's spend over the last three full months), and its monthly consumption is stable, a committed-use
 * deal for it, sized so that it is used.
 *
 * - Stable: the coefficient of variation (sample standard deviation / mean) of its spend per day, month by month
 *   over its last full months (up to six), is at most 0.25. Spend per day, so a 28-day February does not look
 *   like a dip. Steady growth passes (it only makes the commitment safer); a month that halves does not.
 * - The commitment: the daily spend is forecast (functions/forecast/, the forecast job's model with sample paths)
 *   over the three months a deal made now would cover first; each month's total has a distribution over the paths,
 *   and the commitment is the lowest of the three months' 10th percentiles (by the forecast, each month uses all of
 *   it 9 times in 10), and never above the last full month's actual spend: growth the forecast extrapolates is not
 *   committed to before it has happened.
 * - The saving at the configured discount d (advice.commit_discount): committing C a month means paying C x (1 - d)
 *   for C of consumption at list price, so while consumption X >= C it saves C x d a month.
 * - Traffic the routing advice moves elsewhere is left out: a feature whose cheaper model passed its bar
 *   (routing.ts's options, the premium_model_default computation) will leave this model, and a commitment sized on
 *   its spend would go unused. What remains must still be dominant and stable.
 * - The risk: a month with X < C still pays C x (1 - d). Below X = C x (1 - d) the deal costs more than list
 *   prices would have; the advice gives that break-even and the forecast's chance of falling below it (the highest
 *   of the three months), and the unused commitment at the forecast's 2.5th percentile month.
 */

/** Full months of consumption before a model gets commit advice. */
export const minFullMonths = 3;
/** Full months the stability is judged over, at most. */
export const stabilityMonths = 6;
/** The share of the ledger's spend (last three full months) from which a model is dominant. */
export const dominantShare = 0.2;
/** The most variation (coefficient of variation of spend per day, month by month) that counts as stable. */
export const maxVariation = 0.25;
/** The forecast quantile the commitment is set at: low, so it is used. */
export const commitQuantile = 0.1;
/** Months of forecast the commitment is sized on. */
export const commitMonths = 3;

export const commitAdvisor: Advisor = {
  name: 'commit',
  advise: async (context) => {
    const { asOf, config } = context;
    const discount = config.advice.commit_discount;
    const all = (await usageRows(context)).filter((r) => r.spend_usd > 0);
    if (all.length === 0) return [];
    const routed = await readRoutingOptions(context);
    const rows = all.filter((r) => !routed.some((o) => o.feature === r.feature && o.from.provider === r.provider && o.from.model === r.model));
    const ledgerMonths = fullMonths(all[0]!.day, asOf).slice(-minFullMonths);
    if (ledgerMonths.length < minFullMonths) return [];
    const ledgerSpend = spendIn(all, ledgerMonths);

    const advice: Advice[] = [];
    for (const modelRows of groupBy(rows, (r) => JSON.stringify([r.provider, r.model])).values()) {
      const { provider, model } = modelRows[0]!;
      const firstDay = modelRows.map((r) => r.day).sort()[0]!;
      const months = fullMonths(firstDay, asOf).slice(-stabilityMonths);
      if (months.length < minFullMonths) continue;
      const modelShare = spendIn(modelRows, ledgerMonths) / ledgerSpend;
      if (modelShare < dominantShare) continue;
      const perDay = months.map((m) => spendIn(modelRows, [m]) / daysBetween(monthRange(m).from, monthRange(m).to));
      const variation = coefficientOfVariation(perDay); // sample standard deviation / mean
      if (variation > maxVariation) continue;

      const ahead = monthsFrom(asOf, commitMonths);
      const horizon = daysBetween(asOf, monthRange(ahead.at(-1)!).to);
      const history = dailySeries(modelRows, firstDay, asOf, (r) => r.day, (r) => r.spend_usd);
      const forecast = forecastDailySpend(history, { horizon, paths: 1000, seed: 1 });
      const forecastMonths = ahead.map((month) => {
        const range = monthRange(month);
        const sums = pathSums(forecast.paths, forecast.count, horizon, daysBetween(asOf, range.from), daysBetween(asOf, range.to));
        const sorted = Array.from(sums).sort((a, b) => a - b);
        return { month, sorted, p10: quantileSorted(sorted, commitQuantile), p2_5: quantileSorted(sorted, 0.025) };
      });
      const lastMonth = spendIn(modelRows, months.slice(-1));
      const routedAway = routed.filter((o) => o.from.provider === provider && o.from.model === model);
      const lowestP10 = Math.min(...forecastMonths.map((m) => m.p10));
      const commitment = Math.floor(Math.min(lastMonth, lowestP10) * 100) / 100;
      if (commitment <= 0) continue;
      const breakEven = commitment * (1 - discount);
      const lossChance = Math.max(...forecastMonths.map((m) => below(m.sorted, breakEven)));
      const low = Math.min(...forecastMonths.map((m) => m.p2_5));
      const unusedAtLow = Math.max(0, commitment - low);

      advice.push({
        key: adviceKey('commit', null, model),
        advisor: 'commit',
        feature: null,
        subject: model,
        summary:
          `${model} spent ${formatUsd(usd(lastMonth))} last month (${formatPercent(modelShare)} of all spend` +
          (routedAway.length > 0 ? `, leaving out ${routedAway.map((o) => `${o.feature}, which routing advice moves to ${o.to.model}`).join('; ')}` : '') +
          `), steadily over ${months.length} full months ` +
          `(variation ${formatPercent(variation)}): commit to ${formatUsd(usd(commitment))} a month ` +
          `(${lowestP10 < lastMonth ? `the forecast's ${commitQuantile * 100}th percentile` : "last month's spend, below the forecast"}) ` +
          `to save about ${formatUsd(usd(commitment * discount))} a month at ${formatPercent(discount)} off. Risk: below ${formatUsd(usd(breakEven))} in a month ` +
          `the deal costs more than list prices (forecast chance ${formatPercent(lossChance)}); ` +
          (unusedAtLow >= 0.01
            ? `a month at the forecast's low end (${formatUsd(usd(low))}) would leave ${formatUsd(usd(unusedAtLow))} of it unused.`
            : `even a month at the forecast's low end (${formatUsd(usd(low))}) would use all of it.`),
        saving_usd_month: usd(commitment * discount),
        inputs: {
          provider,
          model,
          share_of_spend: share(modelShare),
          routed_away: routedAway.map((o) => ({ feature: o.feature, to: o.to.model })),
          months: months.map((m, i) => ({ month: m, spend_usd: usd(spendIn(modelRows, [m])), spend_usd_per_day: usd(perDay[i]!) })),
          variation: rounded(variation, 3),
          max_variation: maxVariation,
          forecast_method: forecast.method,
          forecast_months: forecastMonths.map((m) => ({ month: m.month, p10_usd: usd(m.p10), p2_5_usd: usd(m.p2_5) })),
          commitment_usd_month: usd(commitment),
          discount,
          break_even_usd_month: usd(breakEven),
          chance_below_break_even: share(lossChance),
          unused_at_p2_5_usd: usd(unusedAtLow),
        },
      });
    }
    return advice.sort((a, b) => Number(b.saving_usd_month) - Number(a.saving_usd_month) || (a.subject ?? '').localeCompare(b.subject ?? ''));
  },
};

function spendIn(rows: readonly UsageDayRow[], months: readonly string[]): number {
  return total(rows.filter((r) => months.includes(r.day.slice(0, 7))), (r) => r.spend_usd);
}

/** The share of a sorted sample below a value. */
function below(sorted: readonly number[], value: number): number {
  let n = 0;
  while (n < sorted.length && sorted[n]! < value) n++;
  return n / sorted.length;
}
