import { featureConfig } from '../config/finops-config.js';
import type { Row } from '../engine/engine.js';
import type { Finding } from '../findings/finding.js';
import { rankFindings, readFindings } from '../findings/store.js';
import type { JobContext } from '../jobs/context.js';
import { unitNamesFrom, type CostPerOutcomeRow } from '../reports/cost-per-outcome.js';
import { sqlFile } from '../sql/files.js';
import { addDays, type DayRange } from '../time/days.js';
import { latestForecasts, type MonthForecast } from './forecasts.js';

/**
 * What the weekly digest says, read from the ledger: the week (the 7 UTC days ending the day before the as-of
 * day: run on Monday, Monday to Sunday) and the week before it, per feature; the month-end forecast of the total;
 * the open findings with their owners. digest.ts turns it into a message without reading anything else.
 */

export interface DigestFeature {
  /** null: the calls with no feature. */
  feature: string | null;
  unit: 'outcomes' | 'calls';
  /** What one unit of work is called: the config's unit_name, else "outcome" or "ok call". */
  unit_name: string;
  owner: string | null;
  budget_per_unit_usd: string | null;
  spend_usd: string;
  previous_spend_usd: string;
  calls: number;
  previous_calls: number;
  outcomes: number;
  previous_outcomes: number;
  /** null: no outcomes in the week. */
  cost_per_outcome_usd: string | null;
  previous_cost_per_outcome_usd: string | null;
  input_tokens: number;
  cached_input_tokens: number;
  previous_input_tokens: number;
  previous_cached_input_tokens: number;
  unpriced_calls: number;
}

export interface DigestFinding {
  finding: Finding;
  /** The owner of the finding's feature (config `owner`). */
  owner: string | null;
}

export interface DigestInput {
  asOf: string;
  /** [Monday, the as-of day): the week reported. */
  week: DayRange;
  previousWeek: DayRange;
  /** Ranked by the week's spend, the calls with no feature last. */
  features: DigestFeature[];
  /** The total's forecast for the month of the as-of day, from the latest forecast run on or before it. */
  forecast: MonthForecast | null;
  /** The open findings, ranked by monthly impact. */
  findings: DigestFinding[];
}

export async function digestInput(context: JobContext): Promise<DigestInput> {
  const { engine, config, asOf } = context;
  const week = { from: addDays(asOf, -7), to: asOf };
  const rows = await engine.query(sqlFile('slack/digest_by_feature.sql'), week, { labels: { job: 'digest' } });
  const unitName = unitNamesFrom(config);
  const features = rows.map((row) => {
    const feature = featureRow(row);
    const settings = featureConfig(config, feature.feature);
    return {
      ...feature,
      unit_name: unitName(feature as unknown as CostPerOutcomeRow),
      owner: settings.owner,
      budget_per_unit_usd: settings.budget_per_unit_usd,
    };
  });
  const month = asOf.slice(0, 7) + '-01';
  const forecasts = await latestForecasts(context, 'digest', month, 1);
  const open = rankFindings((await readFindings(engine)).filter((f) => f.status === 'open'));
  return {
    asOf,
    week,
    previousWeek: { from: addDays(asOf, -14), to: week.from },
    features,
    forecast: forecasts.find((f) => f.scope === 'total' && f.target_month === month) ?? null,
    findings: open.map((finding) => ({ finding, owner: featureConfig(config, finding.feature).owner })),
  };
}

function featureRow(row: Row): Omit<DigestFeature, 'unit_name' | 'owner' | 'budget_per_unit_usd'> {
  const money = (value: unknown) => (value === null ? null : String(value));
  return {
    feature: row.feature === null ? null : String(row.feature),
    unit: row.unit === 'calls' ? 'calls' : 'outcomes',
    spend_usd: String(row.spend_usd),
    previous_spend_usd: String(row.previous_spend_usd),
    calls: Number(row.calls),
    previous_calls: Number(row.previous_calls),
    outcomes: Number(row.outcomes),
    previous_outcomes: Number(row.previous_outcomes),
    cost_per_outcome_usd: money(row.cost_per_outcome_usd),
    previous_cost_per_outcome_usd: money(row.previous_cost_per_outcome_usd),
    input_tokens: Number(row.input_tokens),
    cached_input_tokens: Number(row.cached_input_tokens),
    previous_input_tokens: Number(row.previous_input_tokens),
    previous_cached_input_tokens: Number(row.previous_cached_input_tokens),
    unpriced_calls: Number(row.unpriced_calls),
  };
}
