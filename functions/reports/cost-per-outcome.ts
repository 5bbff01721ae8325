import { featureConfig, type FinopsConfig } from '../config/finops-config.js';
import type { Engine } from '../engine/engine.js';
import { formatUsd, sumUsd } from '../money.js';
import { formatChange, formatCount, formatPercent, renderTable } from '../format/table.js';
import { sqlFile } from '../sql/files.js';
import { monthRange } from '../time/days.js';

/** One row of the monthly cost-per-outcome dashboard: a feature (null: calls with no feature) over a month. */
export interface CostPerOutcomeRow {
  feature: string | null;
  unit: 'outcomes' | 'calls';
  spend_usd: string;
  calls: number;
  requests: number;
  outcomes: number;
  cost_per_outcome_usd: string | null;
  outcome_value_usd: string;
  retry_spend_usd: string;
  unattributed_spend_usd: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  cache_hit_rate: number | null;
  unpriced_calls: number;
  spend_this_week_usd: string;
  spend_last_week_usd: string;
  spend_wow_change: number | null;
  cost_per_outcome_wow_change: number | null;
}

export async function costPerOutcomeReport(engine: Engine, month: string): Promise<CostPerOutcomeRow[]> {
  const range = monthRange(month);
  const rows = await engine.query(
    sqlFile('reports/cost_per_outcome_by_feature.sql'),
    { month_start: range.from, month_end: range.to },
    { labels: { job: 'report' } },
  );
  return rows as unknown as CostPerOutcomeRow[];
}

/** What one unit of a feature's work is called: the config's `unit_name`, else "outcome" or "ok call". */
export type UnitNames = (row: CostPerOutcomeRow) => string;

const defaultUnitNames: UnitNames = (row) => (row.unit === 'calls' ? 'ok call' : 'outcome');

export function unitNamesFrom(config: FinopsConfig): UnitNames {
  return (row) => featureConfig(config, row.feature).unit_name ?? defaultUnitNames(row);
}

/** The dashboard as a terminal table, with a total that reconciles with the rows above it. */
export function renderCostPerOutcome(rows: CostPerOutcomeRow[], month: string, unitName: UnitNames = defaultUnitNames): string {
  const total = sumUsd(rows.map((r) => r.spend_usd));
  const calls = rows.reduce((n, r) => n + r.calls, 0);
  const unattributed = sumUsd(rows.map((r) => r.unattributed_spend_usd));
  const unpriced = rows.reduce((n, r) => n + r.unpriced_calls, 0);
  const notes = [
    `Unattributed (no feature or no segment): ${formatUsd(unattributed)} ` +
      `(${formatPercent(Number(total) === 0 ? null : Number(unattributed) / Number(total))} of spend).`,
  ];
  if (unpriced > 0) notes.push(`${formatCount(unpriced)} calls on models no price list knows are not in the spend.`);
  notes.push('Trend: the last 7 days against the 7 before them.');
  return renderTable(
    [
      { header: 'feature', value: (r) => r.feature ?? '(no feature)' },
      { header: 'spend', align: 'right', value: (r) => formatUsd(r.spend_usd) },
      { header: 'calls', align: 'right', value: (r) => formatCount(r.calls) },
      { header: 'outcomes', align: 'right', value: (r) => formatCount(r.outcomes) },
      { header: 'unit', value: unitName },
      { header: 'cost/outcome', align: 'right', value: (r) => formatUsd(r.cost_per_outcome_usd) },
      { header: 'spend wow', align: 'right', value: (r) => formatChange(r.spend_wow_change) },
      { header: 'cost/outcome wow', align: 'right', value: (r) => formatChange(r.cost_per_outcome_wow_change) },
      { header: 'cache hit', align: 'right', value: (r) => formatPercent(r.cache_hit_rate) },
      { header: 'retry spend', align: 'right', value: (r) => formatUsd(r.retry_spend_usd) },
    ],
    rows,
    {
      title: `Cost per outcome, ${month}`,
      footer: ['total', formatUsd(total), formatCount(calls), '', '', '', '', '', '', formatUsd(sumUsd(rows.map((r) => r.retry_spend_usd)))],
      note: notes.join('\n'),
    },
  );
}
