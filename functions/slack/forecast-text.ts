import { formatUsd } from '../money.js';
import type { MonthForecast } from './forecasts.js';

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-11-01` (or `2026-11`) -> `November 2026`. */
export function monthName(month: string): string {
  return `${monthNames[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** `$1,069.93 – $1,128.41` */
export function interval(lo: string, hi: string): string {
  return `${formatUsd(lo)} – ${formatUsd(hi)}`;
}

/** The month-end forecast of the total in one mrkdwn sentence, with its 80% interval and what is already spent. */
export function forecastSentence(f: MonthForecast): string {
  const toDate = f.horizon_months === 0 && Number(f.actual_to_date_usd) > 0 ? `${formatUsd(f.actual_to_date_usd)} spent before ${f.run_date}; ` : '';
  return (
    `*Month-end forecast for ${monthName(f.target_month)}: ${formatUsd(f.mean_usd)}*, 80% interval ${interval(f.lo80_usd, f.hi80_usd)} ` +
    `(${toDate}forecast of ${f.run_date}).`
  );
}
