import { featureConfig } from '../config/finops-config.js';
import { lookbackWindow } from '../detect/detector.js';
import { daysPerMonth, rounded, share, usd } from '../detect/estimates.js';
import { dayModelRows } from '../detect/ledger-reads.js';
import { readRoutingOptions, recentDays } from '../detect/premium-model.js';
import { modelUsage, qualityOf, qualityVerdict, type ModelUsage, type RoutingOption } from '../detect/routing.js';
import { groupBy, total } from '../detect/series.js';
import { formatCount, formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { adviceKey, type Advice } from './advice.js';
import type { Advisor } from './advisor.js';

/**
 * Routing advice, per feature with a quality_bar: the models it used over the last 28 days with their share of its
 * spend and their quality against the bar, and the cheapest model that passed the bar in the feature's own calls,
 * with the monthly saving of routing the main model's traffic to it.
 *
 * One computation with the premium_model_default finding: the options are functions/detect/routing.ts's
 * cheaperModelsPassingBar, read the same way (readRoutingOptions), and a model's verdict against the bar is
 * routing.ts's qualityVerdict (its one-sided 95% lower bound over at least detectors.premium.min_quality_samples
 * scored calls). The finding speaks when one model carries most of the feature; the advice speaks for every feature
 * with a bar, and says so when no cheaper model has passed (saving null). The options are sorted by saving, and the
 * saving is the same traffic at the candidate's price, so the first option is the cheapest that passed.
 */
export const routingAdvisor: Advisor = {
  name: 'routing',
  advise: async (context) => {
    const { asOf, config } = context;
    const rows = await dayModelRows(context);
    const recent = modelUsage(rows, addDays(asOf, -recentDays), asOf);
    const window = lookbackWindow(asOf, config.detectors.lookback_days.switches);
    const scored = modelUsage(rows, window.from, window.to);
    const options = groupBy(await readRoutingOptions(context), (o) => o.feature);
    const minSamples = config.detectors.premium.min_quality_samples;

    const advice: Advice[] = [];
    for (const [feature, usages] of [...groupBy(recent, (u) => u.feature)].sort(([a], [b]) => a.localeCompare(b))) {
      const settings = featureConfig(config, feature);
      const bar = settings.quality_bar;
      const spend = total(usages, (u) => u.spend_usd);
      if (bar === null || spend <= 0) continue;
      const models = [...usages]
        .sort((a, b) => b.spend_usd - a.spend_usd || a.model.localeCompare(b.model))
        .map((u) => {
          const quality = qualityOf(scored.find((s) => s.feature === feature && s.model === u.model && s.provider === u.provider) ?? noScores);
          return {
            provider: u.provider,
            model: u.model,
            share_of_spend: share(u.spend_usd / spend),
            quality: quality ? rounded(quality.mean, 3) : null,
            scored_calls: quality?.n ?? 0,
            verdict: qualityVerdict(quality, bar, minSamples),
          };
        });
      const best = options.get(feature)?.[0];
      const inputs = {
        window_days: recentDays,
        quality_window_days: config.detectors.lookback_days.switches,
        quality_bar: bar,
        min_quality_samples: minSamples,
        spend_usd_month: usd((spend / recentDays) * daysPerMonth),
        models,
        fallback_models: settings.fallback_models,
        ...(best ? optionInputs(best) : {}),
      };
      const main = models[0]!;
      advice.push({
        key: adviceKey('routing', feature, best?.from.model ?? main.model),
        advisor: 'routing',
        feature,
        subject: best?.from.model ?? main.model,
        summary: (best ? routeSentence(best) : staySentence(bar, config.detectors.premium.min_saving_share, main, models.slice(1))) + fallbackNote(settings.fallback_models),
        saving_usd_month: best ? usd(best.saving_usd_month) : null,
        inputs,
      });
    }
    return advice.sort((a, b) => Number(b.saving_usd_month ?? -1) - Number(a.saving_usd_month ?? -1) || (a.feature ?? '').localeCompare(b.feature ?? ''));
  },
};

const noScores: Pick<ModelUsage, 'quality_sum' | 'quality_sq_sum' | 'quality_n'> = { quality_sum: 0, quality_sq_sum: 0, quality_n: 0 };

function optionInputs(o: RoutingOption) {
  return {
    route_from: o.from.model,
    route_to: o.to.model,
    route_to_quality: rounded(o.to.quality.mean, 3),
    route_to_quality_se: rounded(o.to.quality.se, 2),
    route_to_scored_calls: o.to.quality.n,
    route_from_spend_usd_month: usd(o.from.spend_usd_month),
    cost_ratio: rounded(o.cost_ratio, 3),
    price_basis: o.basis,
  };
}

function routeSentence(o: RoutingOption): string {
  const q = o.to.quality;
  return (
    `Route ${o.from.model} (${formatPercent(o.from.share)} of requests${o.from.quality ? `, quality ${o.from.quality.mean.toFixed(2)}` : ''}) ` +
    `to ${o.to.model}: it passed the bar of ${o.quality_bar.toFixed(2)} over ${formatCount(q.n)} scored calls of this feature ` +
    `(${q.mean.toFixed(2)}) at ${formatPercent(o.cost_ratio)} of the price, saving about ${formatUsd(usd(o.saving_usd_month))} a month.`
  );
}

interface ModelLine {
  model: string;
  share_of_spend: number;
  quality: number | null;
  verdict: string;
}

function staySentence(bar: number, minSavingShare: number, main: ModelLine, others: ModelLine[]): string {
  const stay = `Stay on ${main.model} (${formatPercent(main.share_of_spend)} of spend): `;
  if (others.length === 0) return stay + `no other model has served this feature lately, so none has been measured against its bar of ${bar.toFixed(2)}.`;
  const tried = others.map((m) => `${m.model} ${m.quality === null ? 'unscored' : `${m.quality.toFixed(2)}, ${m.verdict}`}`);
  return stay + `no model ${formatPercent(minSavingShare)} or more cheaper has passed its quality bar of ${bar.toFixed(2)} in its own calls (${tried.join('; ')}).`;
}

function fallbackNote(fallbacks: readonly string[]): string {
  return fallbacks.length === 0 ? ' No fallback model is approved.' : '';
}
