import { formatUsd } from '../money.js';
import { renderTable } from '../format/table.js';
import type { ForecastJobResult, ForecastRow } from './forecast.js';

/** The forecast run, as a person reads it: month-end totals with their intervals, total first, then each feature. */
export function renderForecast(result: ForecastJobResult): string {
  const scope = (r: ForecastRow) => (r.scope === 'total' ? 'total' : (r.scope_value ?? '(no feature)'));
  const lines = [
    renderTable(
      [
        { header: 'scope', value: (r: ForecastRow) => scope(r) },
        { header: 'month', value: (r) => r.target_month.slice(0, 7) },
        { header: 'to date', align: 'right', value: (r) => (r.horizon_months === 0 ? formatUsd(r.actual_to_date_usd) : '') },
        { header: 'forecast', align: 'right', value: (r) => formatUsd(r.mean_usd) },
        { header: '80% interval', align: 'right', value: (r) => `${formatUsd(r.lo80_usd)} – ${formatUsd(r.hi80_usd)}` },
        { header: '95% interval', align: 'right', value: (r) => `${formatUsd(r.lo95_usd)} – ${formatUsd(r.hi95_usd)}` },
        { header: 'method', value: (r) => r.method },
        { header: 'days', align: 'right', value: (r) => String(r.history_days) },
      ],
      result.forecasts,
      {
        title: `Spend forecast as of ${result.run_date}: the month in progress and the next three`,
        note:
          `Month totals include the spend to date, which is known; intervals come from 1,000 simulated paths per series.` +
          (result.scored > 0 ? `\nScored ${result.scored} forecast(s) of closed months: see \`ai-finops report forecast-accuracy\`.` : ''),
      },
    ),
  ];
  for (const s of result.skipped) lines.push(`Not forecast: ${s.scope === 'total' ? 'total' : (s.scope_value ?? '(no feature)')}: ${s.reason}`);
  return lines.join('\n');
}
