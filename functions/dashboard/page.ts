import { createHash } from 'node:crypto';
import { fanChartSpec } from '../charts/fan-chart.js';
import type { Finding } from '../findings/finding.js';
import { since } from '../findings/render.js';
import { formatChange, formatCount, formatPercent } from '../format/table.js';
import { formatUsd, sumUsd, toNanos } from '../money.js';
import type { ChargebackLine } from '../reports/chargeback.js';
import { interval, monthName } from '../slack/forecast-text.js';
import type { MonthForecast } from '../slack/forecasts.js';
import type { AdviceRow } from '../slack/month-end-input.js';
import type { DashboardInput } from './dashboard-input.js';
import { evidenceLines } from './evidence.js';
import { escapeHtml } from './html.js';
import { htmlTable } from './html-table.js';
import { sortScript } from './sort-script.js';
import { noFeature, spendChartSpec } from './spend-chart.js';
import { renderSvg } from './svg-chart.js';
import { styles } from './styles.js';
import { addDays } from '../time/days.js';

/**
 * The monthly dashboard as one HTML file (issue 10): the month's headline figures, the cost-per-outcome table,
 * spend per day by feature, the forecast fan chart with its 80% and 95% bands, the open findings with their
 * evidence, the chargeback per segment and the latest advice. Self-contained: the style sheet and the one small
 * script are inline and the charts are SVG drawn at build time, so the file opens anywhere, offline, and can be
 * mailed or attached. Its Content-Security-Policy allows that style sheet and that script (by their hashes) and
 * nothing else: no request can leave the page, and injected markup could not run even if escaping failed.
 */
export async function renderDashboard(input: DashboardInput): Promise<string> {
  const title = monthName(input.month);
  const spendSvg = input.dailySpend.length === 0 ? null : await renderSvg(spendChartSpec(input.dailySpend, featureOrder(input)));
  const totalForecasts = input.forecasts.filter((f) => f.scope === 'total');
  const fanSvg =
    input.history.length === 0 && totalForecasts.length === 0
      ? null
      : await renderSvg(
          fanChartSpec({
            title: 'AI spend per month, actual and forecast',
            actuals: input.history,
            forecasts: totalForecasts.map((f) => ({ month: f.target_month, mean: f.mean_usd, lo80: f.lo80_usd, hi80: f.hi80_usd, lo95: f.lo95_usd, hi95: f.hi95_usd })),
          }),
        );
  const body = [
    `<header><h1>AI spend: ${escapeHtml(title)}</h1>`,
    `<p>${input.inProgress ? `Month to date, through ${escapeHtml(addDays(input.asOf, -1))}` : 'The closed month'} · amounts in US dollars, days in UTC</p></header>`,
    headline(input),
    section('cost-per-outcome', 'Cost per outcome', 'One row per feature: what it spent, the work it did, and the trend of its last 7 days against the 7 before. Click a header to sort.', costTable(input)),
    section('spend', 'Spend per day, by feature', 'Each bar is a day; its colours are the features, in the order of the table above.', chart(spendSvg, 'spend', 'No spend was rolled up in this month.')),
    section('forecast', 'Forecast', forecastLead(input), chart(fanSvg, 'fan', 'No monthly history or forecast yet: run `ai-finops run forecast`.') + forecastTable(input.forecasts, input.month)),
    section('findings', 'Open findings', 'Problems the detectors found that are still open, the largest monthly cost first, with the numbers behind each.', findingsList(input.findings)),
    section('chargeback', 'Chargeback by segment', `The month's bill per segment, reconciled with the ledger to the cent; the unattributed line has no segment.`, chargebackTable(input)),
    section('advice', 'Advice', 'From the latest advise run: what to change, and what it would save a month.', adviceList(input.advice)),
    `<footer>Written by <code>ai-finops report dashboard</code> from the ledger, as of ${escapeHtml(input.asOf)}. One self-contained file: it needs no network.</footer>`,
  ].join('\n');
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(styles)}'`,
    `script-src '${sha256(sortScript)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>AI spend: ${escapeHtml(title)} (ai-finops)</title>
<style>${styles}</style>
</head>
<body>
<main>
${body}
</main>
<script>${sortScript}</script>
</body>
</html>
`;
}

/** A CSP source for an inline element's exact text. */
function sha256(text: string): string {
  return 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64');
}

function section(id: string, title: string, lead: string, content: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2><p class="lead">${escapeHtml(lead)}</p>\n${content}\n</section>`;
}

function chart(svg: string | null, kind: 'spend' | 'fan', none: string): string {
  return svg === null ? `<p class="empty">${escapeHtml(none)}</p>` : `<figure class="chart ${kind}">${svg}</figure>`;
}

/** The features in the table's order (largest spend first), for the chart's colours. */
function featureOrder(input: DashboardInput): string[] {
  return input.costPerOutcome.map((r) => r.feature ?? noFeature);
}

/** The cards at the top: what a reader needs in the first ten seconds. */
function headline(input: DashboardInput): string {
  const spend = sumUsd(input.costPerOutcome.map((r) => r.spend_usd));
  const calls = input.costPerOutcome.reduce((n, r) => n + r.calls, 0);
  const unattributed = sumUsd(input.costPerOutcome.map((r) => r.unattributed_spend_usd));
  const share = toNanos(spend) === 0n ? null : Number(unattributed) / Number(spend);
  const monthForecast = input.forecasts.find((f) => f.scope === 'total' && f.target_month.slice(0, 7) === input.month);
  const impact = sumUsd(input.findings.flatMap((f) => (f.impact_usd_month === null ? [] : [f.impact_usd_month])));
  const cards = [
    card(input.inProgress ? 'Spend to date' : 'Spend', formatUsd(spend), `${formatCount(calls)} calls`),
    monthForecast
      ? card('Month-end forecast', formatUsd(monthForecast.mean_usd), `80% interval ${interval(monthForecast.lo80_usd, monthForecast.hi80_usd)}`)
      : card('Month-end forecast', '–', 'no forecast run for this month'),
    card('Open findings', formatCount(input.findings.length), `${formatUsd(impact)} a month at stake`),
    card('Unattributed', formatUsd(unattributed), `${formatPercent(share)} of spend has no feature or segment`),
  ];
  return `<ul class="cards">${cards.join('')}</ul>`;
}

function card(label: string, value: string, note: string): string {
  return `<li><span class="label">${escapeHtml(label)}</span><span class="value">${escapeHtml(value)}</span><span class="note">${escapeHtml(note)}</span></li>`;
}

/** A rise in cost is red, a fall green. */
const trend = (change: number | null) => (change === null ? undefined : change > 0.005 ? 'up' : change < -0.005 ? 'down' : undefined);
const amount = (usd: string | null) => (usd === null ? null : Number(usd));

function costTable(input: DashboardInput): string {
  const rows = input.costPerOutcome;
  return htmlTable(
    [
      { header: 'feature', text: (r) => r.feature ?? noFeature },
      { header: 'spend', numeric: true, text: (r) => formatUsd(r.spend_usd), sort: (r) => amount(r.spend_usd) },
      { header: 'calls', numeric: true, text: (r) => formatCount(r.calls), sort: (r) => r.calls },
      { header: 'outcomes', numeric: true, text: (r) => formatCount(r.outcomes), sort: (r) => r.outcomes },
      { header: 'unit', text: (r) => r.unit_name },
      { header: 'cost/outcome', numeric: true, text: (r) => formatUsd(r.cost_per_outcome_usd), sort: (r) => amount(r.cost_per_outcome_usd) },
      { header: 'spend wow', numeric: true, text: (r) => formatChange(r.spend_wow_change), sort: (r) => r.spend_wow_change, className: (r) => trend(r.spend_wow_change) },
      {
        header: 'cost/outcome wow',
        numeric: true,
        text: (r) => formatChange(r.cost_per_outcome_wow_change),
        sort: (r) => r.cost_per_outcome_wow_change,
        className: (r) => trend(r.cost_per_outcome_wow_change),
      },
      { header: 'cache hit', numeric: true, text: (r) => formatPercent(r.cache_hit_rate), sort: (r) => r.cache_hit_rate },
      { header: 'retry spend', numeric: true, text: (r) => formatUsd(r.retry_spend_usd), sort: (r) => amount(r.retry_spend_usd) },
    ],
    rows,
    {
      caption: 'Trend (wow): the last 7 rolled-up days against the 7 before them. Outcomes count in the unit each feature is measured in.',
      footer: [
        'total',
        formatUsd(sumUsd(rows.map((r) => r.spend_usd))),
        formatCount(rows.reduce((n, r) => n + r.calls, 0)),
        '',
        '',
        '',
        '',
        '',
        '',
        formatUsd(sumUsd(rows.map((r) => r.retry_spend_usd))),
      ],
      empty: `No rolled-up calls in ${input.month}: load calls and run \`ai-finops run rollup\`.`,
    },
  );
}

function forecastLead(input: DashboardInput): string {
  const run = input.forecasts[0]?.run_date;
  return (
    'Monthly spend so far (solid) and the forecast (dashed) in its 80% (dark) and 95% (light) intervals' +
    (run ? `, from the weekly forecast of ${run}.` : '.')
  );
}

/** The month's forecast per scope: the total first, then each feature. */
function forecastTable(forecasts: readonly MonthForecast[], month: string): string {
  // the total, then the features by forecast, largest first, as the cost-per-outcome table orders them
  const ofMonth = forecasts
    .filter((f) => f.target_month.slice(0, 7) === month)
    .sort((a, b) => Number(b.scope === 'total') - Number(a.scope === 'total') || Number(toNanos(b.mean_usd) - toNanos(a.mean_usd)));
  return htmlTable(
    [
      { header: 'scope', text: (f: MonthForecast) => (f.scope === 'total' ? 'total' : (f.scope_value ?? noFeature)) },
      { header: 'actual to date', numeric: true, text: (f) => formatUsd(f.actual_to_date_usd), sort: (f) => amount(f.actual_to_date_usd) },
      { header: 'forecast', numeric: true, text: (f) => formatUsd(f.mean_usd), sort: (f) => amount(f.mean_usd) },
      { header: '80% interval', numeric: true, text: (f) => interval(f.lo80_usd, f.hi80_usd), sort: (f) => amount(f.lo80_usd) },
      { header: '95% interval', numeric: true, text: (f) => interval(f.lo95_usd, f.hi95_usd), sort: (f) => amount(f.lo95_usd) },
    ],
    ofMonth,
    { caption: `The month-end forecasts of ${month}, in total and per feature.`, empty: `No forecast of ${month} in the five weeks before it ended.` },
  );
}

function findingsList(findings: readonly Finding[]): string {
  if (findings.length === 0) return '<p class="empty">No open findings.</p>';
  const items = findings.map((f) => {
    const evidence = evidenceLines(f.evidence)
      .map((line) => `<div${line.value.length > 32 ? ' class="wide"' : ''}><dt>${escapeHtml(line.label)}</dt><dd>${escapeHtml(line.value)}</dd></div>`)
      .join('');
    return (
      `<li class="finding ${f.severity}"><h3><span class="badge ${f.severity}">${f.severity}</span>` +
      `<span>${escapeHtml(f.kind.replace(/_/g, ' '))}</span><span>${escapeHtml(f.feature ?? noFeature)}</span>` +
      `<span class="impact">${escapeHtml(f.impact_usd_month === null ? 'not in dollars' : `${formatUsd(f.impact_usd_month)} a month`)}</span></h3>` +
      `<p>${escapeHtml(f.summary)}</p>` +
      `<p class="meta">since ${escapeHtml(since(f.first_seen))} · last seen ${escapeHtml(since(f.last_seen))} · key ${escapeHtml(f.key)}</p>` +
      (evidence ? `<dl class="evidence">${evidence}</dl>` : '') +
      '</li>'
    );
  });
  return `<ul class="findings">${items.join('\n')}</ul>`;
}

function chargebackTable(input: DashboardInput): string {
  const { lines, total } = input.chargeback;
  const share = (line: Pick<ChargebackLine, 'spend_usd'>) =>
    toNanos(total.spend_usd) === 0n ? null : Number(toNanos(line.spend_usd)) / Number(toNanos(total.spend_usd));
  return htmlTable(
    [
      { header: 'segment', text: (l: ChargebackLine) => l.owner ?? '(no segment: unattributed)' },
      { header: 'calls', numeric: true, text: (l) => formatCount(l.calls), sort: (l) => l.calls },
      { header: 'tokens', numeric: true, text: (l) => formatCount(l.tokens, true), sort: (l) => l.tokens },
      { header: 'spend', numeric: true, text: (l) => formatUsd(l.spend_usd), sort: (l) => amount(l.spend_usd) },
      { header: 'share', numeric: true, text: (l) => formatPercent(share(l)), sort: share },
      { header: 'outcomes', numeric: true, text: (l) => formatCount(l.outcomes), sort: (l) => l.outcomes },
      { header: 'cost/outcome', numeric: true, text: (l) => formatUsd(l.cost_per_outcome_usd), sort: (l) => amount(l.cost_per_outcome_usd) },
    ],
    lines,
    {
      caption: `Reconciled with the ledger: ${formatUsd(total.spend_usd)} over ${formatCount(total.calls)} calls.`,
      footer: ['total', formatCount(total.calls), formatCount(total.tokens, true), formatUsd(total.spend_usd), toNanos(total.spend_usd) === 0n ? '–' : '100%', formatCount(total.outcomes), formatUsd(total.cost_per_outcome_usd)],
      empty: `No calls in ${input.month}.`,
    },
  );
}

function adviceList(advice: readonly AdviceRow[]): string {
  if (advice.length === 0) return '<p class="empty">No advice from the latest advise run (`ai-finops run advise`).</p>';
  const items = advice.map(
    (a) =>
      `<li><strong>${escapeHtml(a.advisor.replace(/_/g, ' '))}${a.feature ? ` · ${escapeHtml(a.feature)}` : ''}</strong>` +
      `${a.saving_usd_month === null ? '' : ` (saves ${escapeHtml(formatUsd(a.saving_usd_month))} a month)`}: ${escapeHtml(a.summary)}</li>`,
  );
  return `<ul class="advice">${items.join('\n')}</ul>`;
}
