import { featureConfig } from '../config/finops-config.js';
import { findingKey, type DetectedFinding } from '../findings/finding.js';
import { dayStamp } from '../findings/stamps.js';
import { formatPercent } from '../format/table.js';
import { addDays } from '../time/days.js';
import { lookbackWindow, type Detector } from './detector.js';
import { daysPerMonth, share, usd } from './estimates.js';
import { dayModelRows } from './ledger-reads.js';
import { recentDays } from './premium-model.js';
import { groupBy, total } from './series.js';

/**
 * no_fallback_model: a feature with calls and no approved fallback model (`fallback_models` in the config), or whose
 * only approved fallbacks are the model it runs on: if that model is deprecated or down, the feature stops
 * (deprecation readiness).
 *
 * Judged over the switches window (120 days), like the other model findings: its onset is the feature's first day
 * with calls in the window, its main model the one with the most logical requests over its last 28 days with
 * calls. It is ongoing while the feature has calls in the last 28 days; a feature that stopped calling is no longer
 * at risk, and its finding is stored resolved. Info: a readiness gap, not spend; its impact is null (the evidence
 * gives the monthly spend that would stop).
 */
export const noFallbackModel: Detector = {
  name: 'no_fallback_model',
  kinds: ['no_fallback_model'],
  lookbackDays: (config) => config.detectors.lookback_days.switches,
  detect: async (context) => {
    const window = lookbackWindow(context.asOf, context.config.detectors.lookback_days.switches);
    const rows = (await dayModelRows(context)).filter((r) => r.feature !== null && r.day >= window.from && r.day < window.to && r.calls > 0);
    const findings: DetectedFinding[] = [];
    for (const [feature, featureRows] of [...groupBy(rows, (r) => r.feature!)].sort(([a], [b]) => a.localeCompare(b))) {
      const approved = featureConfig(context.config, feature).fallback_models;
      const days = featureRows.map((r) => r.day).sort();
      const lastDay = days.at(-1)!;
      const recent = featureRows.filter((r) => r.day >= addDays(lastDay, 1 - recentDays));
      const models = [...groupBy(recent, (r) => r.model)]
        .map(([model, m]) => ({ model, requests: total(m, (r) => r.requests) }))
        .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));
      const main = models[0]!;
      if (approved.some((m) => m !== main.model)) continue;
      const requests = total(models, (m) => m.requests);
      const mainShare = requests > 0 ? main.requests / requests : 1;
      findings.push({
        key: findingKey('no_fallback_model', feature),
        kind: 'no_fallback_model',
        severity: 'info',
        feature,
        subject: main.model,
        first_seen: dayStamp(days[0]!),
        last_seen: dayStamp(lastDay),
        impact_usd_month: null,
        summary:
          `${feature} has no approved fallback model${approved.length > 0 ? ' other than its main model' : ''}: if ${main.model} ` +
          `(${formatPercent(mainShare)} of its requests) is deprecated or down, the feature stops. ` +
          `Approve one in fallback_models, ideally a model that has passed its quality bar.`,
        evidence: {
          model: main.model,
          share_of_requests: share(mainShare),
          models: models.map((m) => m.model),
          fallback_models: approved,
          spend_usd_month: usd((total(recent, (r) => r.spend_usd) / recentDays) * daysPerMonth),
        },
        ongoing: lastDay >= addDays(context.asOf, -recentDays),
      });
    }
    return findings;
  },
};
