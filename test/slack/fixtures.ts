import type { Finding } from '../../functions/findings/finding.js';
import type { DigestFeature } from '../../functions/slack/digest-input.js';
import type { MonthForecast } from '../../functions/slack/forecasts.js';

/** Names a hostile or careless user could give a feature, a model or an owner. */
export const hostile = {
  channel: '<!channel>',
  link: '<https://evil.example|click>',
  here: 'ping @here now',
  bold: '*bold*',
} as const;

/** A feature's week in the digest, with defaults a test overrides. */
export function digestFeature(over: Partial<DigestFeature>): DigestFeature {
  return {
    feature: 'support_bot',
    unit: 'outcomes',
    unit_name: 'resolved ticket',
    owner: null,
    budget_per_unit_usd: null,
    spend_usd: '100.000000000',
    previous_spend_usd: '80.000000000',
    calls: 1000,
    previous_calls: 900,
    outcomes: 400,
    previous_outcomes: 400,
    cost_per_outcome_usd: '0.250000000',
    previous_cost_per_outcome_usd: '0.200000000',
    input_tokens: 1000,
    cached_input_tokens: 500,
    previous_input_tokens: 1000,
    previous_cached_input_tokens: 250,
    unpriced_calls: 0,
    ...over,
  };
}

/** A stored finding, with defaults a test overrides. */
export function finding(over: Partial<Finding>): Finding {
  return {
    key: 'spend_anomaly:support_bot:2026-11-20',
    kind: 'spend_anomaly',
    severity: 'warn',
    feature: 'support_bot',
    subject: null,
    first_seen: '2026-11-20T00:00:00Z',
    last_seen: '2026-11-20T00:00:00Z',
    impact_usd_month: '10.000000000',
    summary: 'Something cost more than usual.',
    evidence: {},
    status: 'open',
    acked_until: null,
    detected_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-20T10:00:00Z',
    ...over,
  };
}

/** A month's forecast of the total, with defaults a test overrides. */
export function forecast(over: Partial<MonthForecast>): MonthForecast {
  return {
    scope: 'total',
    scope_value: null,
    target_month: '2026-11-01',
    horizon_months: 0,
    run_date: '2026-11-23',
    method: 'ETS(M,N,M)',
    actual_to_date_usd: '831.850000000',
    mean_usd: '1084.330000000',
    lo80_usd: '1069.930000000',
    hi80_usd: '1128.410000000',
    lo95_usd: '1060.390000000',
    hi95_usd: '1273.960000000',
    ...over,
  };
}
