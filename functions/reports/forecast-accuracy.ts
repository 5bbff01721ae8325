import type { Engine } from '../engine/engine.js';
import { formatUsd } from '../money.js';
import { formatPercent, renderTable } from '../format/table.js';
import { sqlFile } from '../sql/files.js';

/** One row of the forecast accuracy report: a scope and a horizon in months, over every scored forecast. */
export interface ForecastAccuracyRow {
  scope: string;
  /** 0: forecasts of the month in progress; 1 to 3: made that many months ahead. */
  horizon_months: number;
  forecasts: number;
  months: number;
  /** Share of actuals inside the 80% interval: near 0.80 when the intervals deserve trust. */
  coverage80: number;
  coverage95: number;
  mean_abs_error_usd: string;
  /** Mean of actual − forecast: positive when forecasts run low. */
  mean_error_usd: string;
  mean_abs_pct_error: number | null;
}

/**
 * The ledger scoring itself (issue 3): running coverage and error by horizon over the scored forecasts whose target
 * month lies in [from, to) (default: all). The month-end report reads it to say how far last month's interval can
 * be trusted.
 */
export async function forecastAccuracyReport(engine: Engine, range: { from?: string; to?: string } = {}): Promise<ForecastAccuracyRow[]> {
  const rows = await engine.query(
    sqlFile('reports/forecast_accuracy_by_horizon.sql'),
    { from: range.from ?? '1970-01-01', to: range.to ?? '9999-12-01' },
    { labels: { job: 'report' } },
  );
  return rows as unknown as ForecastAccuracyRow[];
}

export function renderForecastAccuracy(rows: ForecastAccuracyRow[]): string {
  if (rows.length === 0) {
    return 'No forecast has been scored yet: forecasts are scored once their month closes (run `ai-finops run forecast` weekly).';
  }
  return renderTable(
    [
      { header: 'scope', value: (r: ForecastAccuracyRow) => r.scope },
      { header: 'made', value: (r) => (r.horizon_months === 0 ? 'during the month' : `${r.horizon_months} month${r.horizon_months === 1 ? '' : 's'} ahead`) },
      { header: 'forecasts', align: 'right', value: (r) => String(r.forecasts) },
      { header: 'months', align: 'right', value: (r) => String(r.months) },
      { header: 'in 80%', align: 'right', value: (r) => formatPercent(r.coverage80) },
      { header: 'in 95%', align: 'right', value: (r) => formatPercent(r.coverage95) },
      { header: 'mean abs error', align: 'right', value: (r) => formatUsd(r.mean_abs_error_usd) },
      { header: 'bias', align: 'right', value: (r) => formatUsd(r.mean_error_usd) },
      { header: 'abs % error', align: 'right', value: (r) => formatPercent(r.mean_abs_pct_error) },
    ],
    rows,
    {
      title: 'Forecast accuracy: how often month-end actuals fell inside the intervals',
      note: 'Trustworthy intervals hold about 80% and 95% of actuals. Bias is actual minus forecast: positive means forecasts ran low.',
    },
  );
}
