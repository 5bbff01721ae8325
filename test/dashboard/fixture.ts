import type { DetectedFinding } from '../../functions/findings/finding.js';
import { recordFindings } from '../../functions/findings/store.js';
import { runRollup } from '../../functions/jobs/rollup.js';
import { addDays } from '../../functions/time/days.js';
import { testLedger } from '../support/ledger.js';

/**
 * A ledger for the dashboard's tests: February 1 to March 21, 2026, rolled up as of March 22, with a forecast
 * run, findings and advice. Names a person chose are hostile on purpose: a feature named `<script>…` and a
 * segment named `"><img … onerror=…>` must stay text wherever the dashboard shows them.
 *
 * - chat (measured in outcomes), segment pro: $1 a day in February, $2 a day in March; one outcome a day.
 * - search (measured in calls), segment free: ten ok calls of $0.01 a day.
 * - the hostile feature, hostile segment: $0.50 a day.
 * - no feature, no segment: $0.25 a day.
 */
export const hostileFeature = '<script>alert(1)</script>';
export const hostileSegment = '"><img src=x onerror=alert(2)>';
export const month = '2026-03';
/** The morning the dashboard is written: March is in progress, rolled up to the 21st. */
export const now = new Date('2026-03-22T08:00:00Z');

export async function dashboardLedger() {
  const ledger = await testLedger();
  const calls: object[] = [];
  const outcomes: object[] = [];
  for (let i = 0; i < 49; i++) {
    const day = addDays('2026-02-01', i);
    const call = (id: string, fields: object) => calls.push({ ts: `${day}T10:00:00Z`, call_id: `${id}-${day}`, model: 'm', input_tokens: 100, output_tokens: 10, ...fields });
    call('chat', { feature: 'chat', segment: 'pro', cost_usd: day < '2026-03-01' ? '1' : '2', cached_input_tokens: 50 });
    for (let k = 0; k < 10; k++) call(`search${k}`, { feature: 'search', segment: 'free', cost_usd: '0.01' });
    call('hostile', { feature: hostileFeature, segment: hostileSegment, cost_usd: '0.5' });
    call('bare', { cost_usd: '0.25' });
    outcomes.push({ ts: `${day}T12:00:00Z`, outcome_id: `o-${day}`, feature: 'chat', segment: 'pro' });
  }
  await ledger.loadCalls(calls);
  await ledger.loadOutcomes(outcomes);
  await runRollup(ledger.context('2026-03-22'));

  const forecast = (scope: 'total' | 'feature', scopeValue: string | null, targetMonth: string, mean: number) => ({
    run_date: '2026-03-16',
    scope,
    scope_value: scopeValue,
    target_month: targetMonth,
    horizon_months: targetMonth === '2026-03-01' ? 0 : 1,
    method: 'ets',
    history_days: 43,
    data_weight: 1,
    actual_to_date_usd: targetMonth === '2026-03-01' ? String(mean * 0.5) : '0',
    mean_usd: String(mean),
    lo80_usd: String(mean * 0.9),
    hi80_usd: String(mean * 1.1),
    lo95_usd: String(mean * 0.8),
    hi95_usd: String(mean * 1.2),
    fitted_at: '2026-03-16T05:00:00Z',
  });
  await ledger.engine.insertRows('forecasts', [
    forecast('total', null, '2026-03-01', 100),
    forecast('total', null, '2026-04-01', 110),
    forecast('feature', hostileFeature, '2026-03-01', 15),
  ]);

  const finding: DetectedFinding = {
    key: `retry_storm:${hostileFeature}:2026-03-10`,
    kind: 'retry_storm',
    severity: 'page',
    feature: hostileFeature,
    subject: hostileSegment,
    first_seen: '2026-03-10T09:00:00Z',
    last_seen: '2026-03-21T00:00:00Z',
    impact_usd_month: '42.500000000',
    summary: `${hostileFeature} retried ${hostileSegment} all day`,
    evidence: { retry_share: 0.4, extra_usd_month: '42.5', note: hostileSegment, by_feature: [{ feature: hostileFeature, calls: 3 }] },
    ongoing: true,
  };
  const minor: DetectedFinding = { ...finding, key: 'unattributed_spend:-', kind: 'unattributed_spend', severity: 'info', feature: null, impact_usd_month: '1.250000000', summary: 'some spend has no owner', evidence: {} };
  await recordFindings(ledger.engine, { asOf: '2026-03-22', now, seen: [finding, minor], resolves: [] });

  await ledger.engine.insertRows('advice', [
    {
      run_date: '2026-03-01',
      key: 'routing:chat',
      advisor: 'routing',
      feature: hostileFeature,
      subject: 'm',
      summary: `route ${hostileSegment} to a cheaper model`,
      saving_usd_month: '12.340000000',
      inputs: '{}',
      created_at: '2026-03-01T08:00:00Z',
    },
  ]);
  return ledger;
}
