import { daysPerMonth, share, usd } from '../detect/estimates.js';
import { groupBy, total } from '../detect/series.js';
import { formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';
import { addDays } from '../time/days.js';
import { adviceKey } from './advice.js';
import type { Advisor } from './advisor.js';
import { formatTokens } from './format-tokens.js';
import { modelFamily } from './model-family.js';
import { recentDays, usageRows } from './usage.js';

/**
 * Self-hosting advice: the monthly tokens (input and output) of each model family (model-family.ts) over the last
 * 28 days, times 365/12 / 28, against advice.self_host_tokens_per_month (default 2 billion). Below that line a
 * self-hosted open-weight model rarely beats the APIs once GPUs, operations and evaluation are paid for; above it,
 * it is worth costing. A family above the line gets a row (saving null: the self-hosted cost is not in the ledger,
 * only the API spend it would replace); when none is, one row says so and names the largest.
 *
 * The data-residency exception is noted in either case: where prompts must stay in a region or on your own
 * hardware, self-hosting is decided by that requirement, not by volume.
 */

const residency = 'Data residency is the exception: where prompts must stay in a region or on your own hardware, that decides, not volume.';

export const selfHostAdvisor: Advisor = {
  name: 'self_host',
  advise: async (context) => {
    const { asOf, config } = context;
    const threshold = config.advice.self_host_tokens_per_month;
    const from = addDays(asOf, -recentDays);
    const monthly = daysPerMonth / recentDays;
    const families = [...groupBy((await usageRows(context)).filter((r) => r.day >= from), (r) => modelFamily(r.model))]
      .map(([family, rows]) => ({
        family,
        models: [...new Set(rows.map((r) => r.model))].sort(),
        tokens_per_month: Math.round(total(rows, (r) => r.input_tokens + r.output_tokens) * monthly),
        spend_usd_month: total(rows, (r) => r.spend_usd) * monthly,
        features: [...new Set(rows.map((r) => r.feature ?? '(no feature)'))].sort(),
      }))
      .sort((a, b) => b.tokens_per_month - a.tokens_per_month || a.family.localeCompare(b.family));
    if (families.length === 0) return [];
    const inputs = (f: (typeof families)[number]) => ({
      window_days: recentDays,
      threshold_tokens_per_month: threshold,
      family: f.family,
      models: f.models,
      tokens_per_month: f.tokens_per_month,
      share_of_threshold: share(f.tokens_per_month / threshold),
      api_spend_usd_month: usd(f.spend_usd_month),
      features: f.features,
    });

    const above = families.filter((f) => f.tokens_per_month >= threshold);
    if (above.length === 0) {
      const largest = families[0]!;
      return [
        {
          key: adviceKey('self_host', null, null),
          advisor: 'self_host',
          feature: null,
          subject: null,
          summary:
            `Stay on the APIs: no model family reaches ${formatTokens(threshold)} tokens a month (the largest, ${largest.family}, ` +
            `runs at ${formatTokens(largest.tokens_per_month)}, ${formatPercent(largest.tokens_per_month / threshold)} of it). ${residency}`,
          saving_usd_month: null,
          inputs: { ...inputs(largest), families: families.map((f) => ({ family: f.family, tokens_per_month: f.tokens_per_month })) },
        },
      ];
    }
    return above.map((f) => ({
      key: adviceKey('self_host', null, f.family),
      advisor: 'self_host',
      feature: null,
      subject: f.family,
      summary:
        `${f.family} runs at ${formatTokens(f.tokens_per_month)} tokens a month (${f.models.join(', ')}), above the ` +
        `${formatTokens(threshold)} line: cost a self-hosted open-weight model of this tier (GPUs, operations, evaluation against ` +
        `the quality bars) against its ${formatUsd(usd(f.spend_usd_month))} a month of API spend. ${residency}`,
      saving_usd_month: null,
      inputs: inputs(f),
    }));
  },
};
