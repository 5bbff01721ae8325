import type { KnownBlock } from '@slack/web-api';
import { formatChange, formatCount, formatPercent, renderTable } from '../format/table.js';
import { formatUsd, sumUsd, toNanos } from '../money.js';
import { addDays } from '../time/days.js';
import { blocksWithin, context, header, listSection, section, tableSection } from './blocks.js';
import type { DigestFeature, DigestInput } from './digest-input.js';
import { code, escapeMrkdwn } from './escape.js';
import { findingLine } from './finding-line.js';
import { forecastSentence, monthName } from './forecast-text.js';
import { takeFirst } from './limits.js';
import type { SlackMessage } from './message.js';

/**
 * The weekly digest (issue 5), Monday morning: what the week cost against the week before, per feature (spend,
 * calls, outcomes, cost per outcome and its trend against the feature's budget per unit, cache hit rate), where
 * the month is heading (the month-end forecast with its 80% interval), and the open findings worth acting on,
 * largest monthly impact first, each with its owner. Pure: everything comes in the DigestInput.
 */

/** Findings listed one by one; the rest are counted ("and 4 more"). */
export const digestFindings = 10;

export function buildDigest(input: DigestInput): SlackMessage {
  const { week, features } = input;
  const lastDay = addDays(week.to, -1);
  const total = totals(features);
  const blocks: KnownBlock[] = [
    header(`Weekly AI spend: ${week.from} to ${lastDay}`),
    section(summary(total)),
    section(input.forecast ? forecastSentence(input.forecast) : `*Month-end forecast:* none in the last five weeks: run \`ai-finops run forecast\` (Mondays 05:00 UTC).`),
  ];
  if (features.length > 0) {
    blocks.push(tableSection('*By feature*, this week against the week before', featureTable(features, total), (n) => `…and ${n} more features`));
  }
  const over = features.filter(overBudget);
  if (over.length > 0) blocks.push(listSection('*Over budget per unit*', over.map(budgetLine), (n) => `…and ${n} more`));
  blocks.push(...findingsBlocks(input));
  blocks.push(context(`ai-finops weekly digest as of ${input.asOf} · days are UTC · trends: this week against the 7 days before`));
  return {
    key: `digest:${week.from}`,
    kind: 'digest',
    channel: null,
    text: escapeMrkdwn(
      `AI spend ${week.from} to ${lastDay}: ${formatUsd(total.spend)} (${formatChange(total.change)} on the week before)` +
        (input.forecast ? `; ${monthName(input.forecast.target_month)} heading for ${formatUsd(input.forecast.mean_usd)}` : '') +
        `; ${input.findings.length} open finding${input.findings.length === 1 ? '' : 's'}.`,
    ),
    blocks: blocksWithin(blocks),
  };
}

interface Totals {
  spend: string;
  previousSpend: string;
  change: number | null;
  calls: number;
  cacheHitRate: number | null;
  previousCacheHitRate: number | null;
  unpricedCalls: number;
}

function totals(features: readonly DigestFeature[]): Totals {
  const spend = sumUsd(features.map((f) => f.spend_usd));
  const previousSpend = sumUsd(features.map((f) => f.previous_spend_usd));
  const sum = (pick: (f: DigestFeature) => number) => features.reduce((n, f) => n + pick(f), 0);
  return {
    spend,
    previousSpend,
    change: change(spend, previousSpend),
    calls: sum((f) => f.calls),
    cacheHitRate: ratio(sum((f) => f.cached_input_tokens), sum((f) => f.input_tokens)),
    previousCacheHitRate: ratio(sum((f) => f.previous_cached_input_tokens), sum((f) => f.previous_input_tokens)),
    unpricedCalls: sum((f) => f.unpriced_calls),
  };
}

function summary(total: Totals): string {
  const lines = [
    `*${formatUsd(total.spend)}* spent this week, *${formatChange(total.change)}* on the week before (${formatUsd(total.previousSpend)}).`,
    `${formatCount(total.calls)} calls · cache hit rate ${formatPercent(total.cacheHitRate)} (${formatPercent(total.previousCacheHitRate)} the week before)`,
  ];
  if (total.unpricedCalls > 0) {
    lines.push(`${formatCount(total.unpricedCalls)} calls on models no price list knows are not in the spend: add them to the negotiated price file.`);
  }
  return lines.join('\n');
}

function featureTable(features: readonly DigestFeature[], total: Totals): string {
  return renderTable(
    [
      { header: 'feature', value: (f: DigestFeature) => f.feature ?? '(no feature)' },
      { header: 'spend', align: 'right', value: (f) => formatUsd(f.spend_usd) },
      { header: 'wow', align: 'right', value: (f) => formatChange(change(f.spend_usd, f.previous_spend_usd)) },
      { header: 'calls', align: 'right', value: (f) => formatCount(f.calls, true) },
      { header: 'outcomes', align: 'right', value: (f) => formatCount(f.outcomes, true) },
      { header: 'cost/unit', align: 'right', value: (f) => formatUsd(f.cost_per_outcome_usd) },
      { header: 'wow', align: 'right', value: (f) => formatChange(change(f.cost_per_outcome_usd, f.previous_cost_per_outcome_usd)) },
      { header: 'budget', align: 'right', value: (f) => budgetCell(f) },
      { header: 'cache', align: 'right', value: (f) => formatPercent(ratio(f.cached_input_tokens, f.input_tokens)) },
    ],
    [...features],
    {
      footer: ['total', formatUsd(total.spend), formatChange(total.change), formatCount(total.calls, true), '', '', '', '', formatPercent(total.cacheHitRate)],
    },
  );
}

/** The budget per unit, and whether the week's cost per unit is over it. */
function budgetCell(f: DigestFeature): string {
  if (f.budget_per_unit_usd === null) return '–';
  return `${formatUsd(f.budget_per_unit_usd)} ${overBudget(f) ? 'over' : 'ok'}`;
}

function overBudget(f: DigestFeature): boolean {
  return f.budget_per_unit_usd !== null && f.cost_per_outcome_usd !== null && toNanos(f.cost_per_outcome_usd) > toNanos(f.budget_per_unit_usd);
}

function budgetLine(f: DigestFeature): string {
  const over = change(f.cost_per_outcome_usd, f.budget_per_unit_usd);
  const trend = change(f.cost_per_outcome_usd, f.previous_cost_per_outcome_usd);
  const direction = trend === null ? '' : trend > 0 ? `, and rising (${formatChange(trend)} on the week)` : `, falling (${formatChange(trend)} on the week)`;
  return (
    `• ${code(f.feature ?? '(no feature)')}: ${formatUsd(f.cost_per_outcome_usd)} per ${escapeMrkdwn(f.unit_name)} against a budget of ` +
    `${formatUsd(f.budget_per_unit_usd)} (${formatChange(over)})${direction}` +
    (f.owner === null ? '' : ` · owner ${escapeMrkdwn(f.owner)}`)
  );
}

function findingsBlocks(input: DigestInput): KnownBlock[] {
  if (input.findings.length === 0) return [section('*Open findings:* none. Nothing crossed a threshold.')];
  const { kept, left } = takeFirst(input.findings, digestFindings);
  const lines = kept.map(({ finding, owner }) => findingLine(finding, owner));
  const title = `*Open findings* (${input.findings.length}), largest monthly impact first`;
  return [listSection(title, lines, (n) => `…and ${n} more: \`ai-finops findings --status open\``, left)];
}

/** now / before - 1, for amounts as decimal text; null when either is missing or before is zero. */
function change(now: string | null, before: string | null): number | null {
  if (now === null || before === null || Number(before) === 0) return null;
  return Number(now) / Number(before) - 1;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
