import type { KnownBlock } from '@slack/web-api';
import { renderFanChart } from '../charts/fan-chart.js';
import { formatPercent, renderTable } from '../format/table.js';
import { formatUsd, fromNanos, toNanos } from '../money.js';
import type { ForecastAccuracyRow } from '../reports/forecast-accuracy.js';
import { blocksWithin, context, header, listSection, section, tableSection } from './blocks.js';
import { code, escapeMrkdwn } from './escape.js';
import { interval, monthName } from './forecast-text.js';
import type { MonthForecast } from './forecasts.js';
import { takeFirst } from './limits.js';
import type { SlackMessage } from './message.js';
import type { AdviceRow, ClosedMonthScope, MonthEndInput } from './month-end-input.js';

/**
 * The month-end report (issue 5), for finance on the 1st: the month that closed against what was forecast for it
 * (inside the 80% interval or not, and how often the forecasts have been so far), where this month and the next
 * three are heading per feature and in total, with their intervals, the advice worth acting on, and a fan chart of
 * the total (functions/charts/fan-chart.ts) uploaded with the message. Pure but for drawing the chart.
 */

/** Pieces of advice listed; the rest are counted. */
export const monthEndAdvice = 10;

export async function buildMonthEnd(input: MonthEndInput): Promise<SlackMessage> {
  const closedName = monthName(input.closedMonth);
  const [total] = input.closed;
  const blocks: KnownBlock[] = [header(`Month-end AI spend report: ${closedName}`)];
  if (total) blocks.push(section([closedSentence(total, closedName), coverageSentence(input.coverage)].join('\n')));
  const features = input.closed.filter((c) => c.scope === 'feature');
  if (features.length > 0) {
    blocks.push(tableSection(`*${closedName} by feature*, against the forecast of record`, closedTable(features), (n) => `…and ${n} more features`));
  }
  if (input.forecasts.length > 0) {
    const run = input.forecasts[0]!.run_date;
    blocks.push(tableSection(`*Forecasts* (of ${run}), with 80% intervals`, forecastTable(input.forecasts), (n) => `…and ${n} more rows`));
    const over = overBudget(input);
    if (over.length > 0) blocks.push(listSection('*Forecast above the monthly budget*', over, (n) => `…and ${n} more`));
  } else {
    blocks.push(section('*Forecasts:* none in the last five weeks: run `ai-finops run forecast` (Mondays 05:00 UTC).'));
  }
  blocks.push(adviceSection(input.advice));
  blocks.push(context(`ai-finops month-end report as of ${input.asOf} · the fan chart of the total is attached · amounts in US dollars, days UTC`));

  const chart = await renderFanChart({
    title: 'AI spend per month, actual and forecast',
    actuals: input.history.map((h) => ({ month: h.month, usd: h.usd })),
    forecasts: totalForecasts(input.forecasts).map((f) => ({ month: f.target_month, mean: f.mean_usd, lo80: f.lo80_usd, hi80: f.hi80_usd, lo95: f.lo95_usd, hi95: f.hi95_usd })),
  });
  return {
    key: `month-end:${input.closedMonth}`,
    kind: 'month-end',
    channel: null,
    text: escapeMrkdwn(
      total
        ? `${closedName} closed at ${formatUsd(total.actual_usd)} of AI spend` +
            (total.forecast ? ` against ${formatUsd(total.forecast.mean_usd)} forecast (${total.inside80 ? 'inside' : 'outside'} the 80% interval).` : '.')
        : `Month-end AI spend report: ${closedName}.`,
    ),
    blocks: blocksWithin(blocks),
    files: [
      {
        filename: `ai-spend-forecast-${input.closedMonth}.png`,
        title: `AI spend per month, actual and forecast (${closedName})`,
        content: chart.png,
        altText: altText(input),
      },
    ],
  };
}

function closedSentence(total: ClosedMonthScope, closedName: string): string {
  const actual = `*${closedName} closed at ${formatUsd(total.actual_usd)}*`;
  const f = total.forecast;
  if (f === null) return `${actual}. It was never forecast: the forecast job runs on Mondays (\`ai-finops run forecast\`).`;
  return (
    `${actual} against a forecast of ${formatUsd(f.mean_usd)} (80% interval ${interval(f.lo80_usd, f.hi80_usd)}, made ${f.run_date}): ` +
    `${position(total)}.\n` +
    `Of the ${total.forecasts} weekly forecast${total.forecasts === 1 ? '' : 's'} made of ${closedName}, ` +
    `${total.forecastsInside80} held the actual inside the 80% interval.`
  );
}

/** "*inside* the 80% interval", or "*above* it by $12.34". */
function position(c: ClosedMonthScope): string {
  if (c.forecast === null) return '–';
  if (c.inside80) return '*inside* the 80% interval';
  const actual = toNanos(c.actual_usd);
  const above = actual > toNanos(c.forecast.hi80_usd);
  const gap = above ? actual - toNanos(c.forecast.hi80_usd) : toNanos(c.forecast.lo80_usd) - actual;
  return `*${above ? 'above' : 'below'}* it by ${formatUsd(fromNanos(gap))}`;
}

/**
 * The running coverage of the total's forecasts: the share of actuals inside the 80% interval, per horizon. About
 * 80% is what an honest interval holds; far below says the intervals are too narrow to plan on.
 */
function coverageSentence(rows: readonly ForecastAccuracyRow[]): string {
  if (rows.length === 0) return 'Running coverage: no closed month has been scored yet; it builds up as months close.';
  const made = (h: number) => (h === 0 ? 'made during the month' : `${h} month${h === 1 ? '' : 's'} ahead`);
  const parts = rows.map((r) => `${made(r.horizon_months)}: ${formatPercent(r.coverage80)} of ${r.forecasts} (over ${r.months} month${r.months === 1 ? '' : 's'})`);
  return `Running coverage of the 80% interval (an honest one holds about 80%): ${parts.join('; ')}.`;
}

function closedTable(rows: ClosedMonthScope[]): string {
  return renderTable(
      [
        { header: 'feature', value: (c: ClosedMonthScope) => c.feature ?? '(no feature)' },
        { header: 'actual', align: 'right', value: (c) => formatUsd(c.actual_usd) },
        { header: 'forecast', align: 'right', value: (c) => (c.forecast ? formatUsd(c.forecast.mean_usd) : '–') },
        { header: '80% interval', align: 'right', value: (c) => (c.forecast ? interval(c.forecast.lo80_usd, c.forecast.hi80_usd) : '–') },
        { header: 'vs 80%', value: (c) => (c.forecast === null ? '' : c.inside80 ? 'inside' : toNanos(c.actual_usd) > toNanos(c.forecast.hi80_usd) ? 'above' : 'below') },
      ],
      rows,
  );
}

function forecastTable(forecasts: readonly MonthForecast[]): string {
  let previous: string | undefined;
  const scopeOnce = (f: MonthForecast) => {
    const name = f.scope === 'total' ? 'total' : (f.scope_value ?? '(no feature)');
    const shown = name === previous ? '' : name;
    previous = name;
    return shown;
  };
  return renderTable(
    [
      { header: 'scope', value: scopeOnce },
      { header: 'month', value: (f) => f.target_month.slice(0, 7) },
      { header: 'forecast', align: 'right', value: (f) => formatUsd(f.mean_usd) },
      { header: '80% interval', align: 'right', value: (f) => interval(f.lo80_usd, f.hi80_usd) },
    ],
    [...forecasts],
  );
}

/** One line per feature whose forecast is above its monthly budget in any month forecast. */
function overBudget(input: MonthEndInput): string[] {
  return input.budgets.flatMap(({ feature, monthly_budget_usd }) => {
    const over = input.forecasts.filter((f) => f.scope === 'feature' && f.scope_value === feature && toNanos(f.mean_usd) > toNanos(monthly_budget_usd));
    if (over.length === 0) return [];
    const months = over.map((f) => `${monthName(f.target_month)} (${formatUsd(f.mean_usd)}${toNanos(f.lo80_usd) > toNanos(monthly_budget_usd) ? ', even its 80% low end' : ''})`);
    return [`• ${code(feature)}, budget ${formatUsd(monthly_budget_usd)} a month: ${months.join(', ')}`];
  });
}

function adviceSection(advice: readonly AdviceRow[]): KnownBlock {
  if (advice.length === 0) return section('*Advice:* none from the latest advise run (`ai-finops run advise`).');
  const { kept, left } = takeFirst(advice, monthEndAdvice);
  const lines = kept.map(
    (a) =>
      `• *${a.saving_usd_month === null ? 'no saving estimate' : `${formatUsd(a.saving_usd_month)}/month`}* ${escapeMrkdwn(a.advisor)}` +
      (a.feature === null ? '' : ` in ${code(a.feature)}`) +
      `: ${escapeMrkdwn(a.summary)}`,
  );
  return listSection(`*Advice* (of ${advice[0]!.run_date}), largest saving first`, lines, (n) => `…and ${n} more`, left);
}

function totalForecasts(forecasts: readonly MonthForecast[]): MonthForecast[] {
  return forecasts.filter((f) => f.scope === 'total');
}

/** The chart in words, for screen readers and the text rendering. */
function altText(input: MonthEndInput): string {
  const first = input.history[0];
  const last = input.history.at(-1);
  const span = first && last ? `Monthly AI spend from ${monthName(first.month)} (${formatUsd(first.usd)}) to ${monthName(last.month)} (${formatUsd(last.usd)})` : 'No monthly spend yet';
  const ahead = totalForecasts(input.forecasts).map((f) => `${monthName(f.target_month)} ${formatUsd(f.mean_usd)} (80%: ${interval(f.lo80_usd, f.hi80_usd)})`);
  return `${span}${ahead.length > 0 ? `; forecast: ${ahead.join(', ')}` : ''}.`;
}
