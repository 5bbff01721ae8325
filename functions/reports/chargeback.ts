import type { Engine } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import { formatCount, formatPercent, renderTable } from '../format/table.js';
import { formatUsd, fromNanos, sumUsd, toNanos } from '../money.js';
import { sqlFile } from '../sql/files.js';
import { monthRange } from '../time/days.js';
import { assertMatchesLedger } from './ledger-total.js';

/** Who a chargeback bills: each segment (the default), each feature, or each customer. */
export const chargebackOwners = ['segment', 'feature', 'customer'] as const;
export type ChargebackBy = (typeof chargebackOwners)[number];

/** One line of the monthly bill: an owner (null: the unattributed line) and what it consumed. */
export interface ChargebackLine {
  owner: string | null;
  calls: number;
  /** Logical requests (attempt = 1). */
  requests: number;
  /** All input tokens, cached reads included. */
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  /** Input plus output tokens. */
  tokens: number;
  spend_usd: string;
  /** Succeeded outcomes for features measured in outcomes, ok calls for the rest (as the cost-per-outcome report). */
  outcomes: number;
  cost_per_outcome_usd: string | null;
  /** Calls on models no price list knows: in the calls, not in the spend. */
  unpriced_calls: number;
}

/** A month's bill: its lines and a total line, which equals the ledger's own total for the month. */
export interface Chargeback {
  month: string;
  by: ChargebackBy;
  lines: ChargebackLine[];
  total: Omit<ChargebackLine, 'owner'>;
}

export function parseChargebackBy(text: string): ChargebackBy {
  if (!(chargebackOwners as readonly string[]).includes(text)) {
    throw new UsageError(`--by ${text} is not one of ${chargebackOwners.join(', ')}`);
  }
  return text as ChargebackBy;
}

/**
 * The monthly bill per segment, feature or customer (issue 8). Segments and features come from the rollups; the
 * rollups keep no customer, so the customer bill reads the ledger (bounded by the month). Unattributed consumption
 * is its own line, never dropped. Before it returns, the bill is checked against the ledger to the nano-dollar
 * (ledger-total.ts): a bill that does not add up throws instead of printing.
 */
export async function chargebackReport(engine: Engine, month: string, by: ChargebackBy): Promise<Chargeback> {
  const range = monthRange(month);
  const labels = { job: 'report' };
  const monthParams = { month_start: range.from, month_end: range.to };
  const outcomeFeatures = await engine.query(sqlFile('reports/outcome_features_by_month.sql'), monthParams, { labels });
  const parts = await engine.query(
    sqlFile(by === 'customer' ? 'reports/chargeback_by_customer.sql' : 'reports/chargeback_by_owner.sql'),
    { ...monthParams, outcome_features: outcomeFeatures.map((r) => String(r.feature)), ...(by === 'customer' ? {} : { by }) },
    { labels },
  );
  const lines = ownerLines(parts as unknown as OwnerPart[]);
  const { owner: _owner, ...total } = sumLines(null, lines);
  await assertMatchesLedger(engine, month, total, `chargeback by ${by}`);
  return { month, by, lines, total };
}

/** What the queries return: per owner, one row, or a row of its calls' figures and a row of its outcomes. */
type OwnerPart = Pick<
  ChargebackLine,
  'owner' | 'calls' | 'requests' | 'input_tokens' | 'cached_input_tokens' | 'output_tokens' | 'spend_usd' | 'outcomes' | 'unpriced_calls'
>;

/** One line per owner, largest spend first, the unattributed (null) line last. */
function ownerLines(parts: OwnerPart[]): ChargebackLine[] {
  const byOwner = new Map<string | null, OwnerPart[]>();
  for (const part of parts) byOwner.set(part.owner, [...(byOwner.get(part.owner) ?? []), part]);
  const bySpend = (a: ChargebackLine, b: ChargebackLine) => {
    const difference = toNanos(b.spend_usd) - toNanos(a.spend_usd);
    return difference !== 0n ? (difference > 0n ? 1 : -1) : String(a.owner).localeCompare(String(b.owner));
  };
  const lines = [...byOwner].map(([owner, ownParts]) => sumLines(owner, ownParts));
  return [...lines.filter((l) => l.owner !== null).sort(bySpend), ...lines.filter((l) => l.owner === null)];
}

/** Parts or lines added up under one owner: counts added, money added exactly, cost per outcome of the sums. */
function sumLines(owner: string | null, parts: OwnerPart[]): ChargebackLine {
  const add = (field: 'calls' | 'requests' | 'input_tokens' | 'cached_input_tokens' | 'output_tokens' | 'outcomes' | 'unpriced_calls') =>
    parts.reduce((n, part) => n + part[field], 0);
  const spend = sumUsd(parts.map((p) => p.spend_usd));
  const outcomes = add('outcomes');
  return {
    owner,
    calls: add('calls'),
    requests: add('requests'),
    input_tokens: add('input_tokens'),
    cached_input_tokens: add('cached_input_tokens'),
    output_tokens: add('output_tokens'),
    tokens: add('input_tokens') + add('output_tokens'),
    spend_usd: spend,
    outcomes,
    cost_per_outcome_usd: outcomes === 0 ? null : divideUsd(spend, outcomes),
    unpriced_calls: add('unpriced_calls'),
  };
}

/** An amount divided by a count, rounded half up to the nano-dollar. */
function divideUsd(amount: string, count: number): string {
  const nanos = toNanos(amount);
  const n = BigInt(count);
  const sign = nanos < 0n ? -1n : 1n;
  return fromNanos(sign * ((sign * nanos * 2n + n) / (2n * n)));
}

/** The bill for machines (JSON, CSV): each line with its owner under the name of what it bills. */
export function chargebackRecords(bill: Chargeback): Record<string, unknown>[] {
  return bill.lines.map(({ owner, ...rest }) => ({ [bill.by]: owner, ...rest }));
}

/** The bill as a terminal table: one line per owner, the unattributed line last, then the total. */
export function renderChargeback(bill: Chargeback): string {
  const { total } = bill;
  const share = (line: ChargebackLine) =>
    toNanos(total.spend_usd) === 0n ? null : Number(toNanos(line.spend_usd)) / Number(toNanos(total.spend_usd));
  const notes = [`Reconciled with the ledger: ${formatUsd(total.spend_usd)} over ${formatCount(total.calls)} calls in ${bill.month}.`];
  if (total.unpriced_calls > 0) {
    notes.push(`${formatCount(total.unpriced_calls)} calls on models no price list knows are in the calls, not in the spend.`);
  }
  return renderTable(
    [
      { header: bill.by, value: (l: ChargebackLine) => l.owner ?? `(no ${bill.by}: unattributed)` },
      { header: 'calls', align: 'right', value: (l) => formatCount(l.calls) },
      { header: 'tokens', align: 'right', value: (l) => formatCount(l.tokens, true) },
      { header: 'spend', align: 'right', value: (l) => formatUsd(l.spend_usd) },
      { header: 'share', align: 'right', value: (l) => formatPercent(share(l)) },
      { header: 'outcomes', align: 'right', value: (l) => formatCount(l.outcomes) },
      { header: 'cost/outcome', align: 'right', value: (l) => formatUsd(l.cost_per_outcome_usd) },
    ],
    bill.lines,
    {
      title: `Chargeback by ${bill.by}, ${bill.month}`,
      footer: [
        'total',
        formatCount(total.calls),
        formatCount(total.tokens, true),
        formatUsd(total.spend_usd),
        toNanos(total.spend_usd) === 0n ? '–' : '100%',
        formatCount(total.outcomes),
        formatUsd(total.cost_per_outcome_usd),
      ],
      note: notes.join('\n'),
    },
  );
}
