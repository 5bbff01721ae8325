import type { Evidence } from '../findings/finding.js';
import { formatCount, formatPercent } from '../format/table.js';
import { formatUsd } from '../money.js';

/**
 * A finding's evidence as lines a person reads: `share of requests: 88%`, `saving usd month: $320.18`. Evidence is
 * plain JSON whose conventions the detectors keep (functions/findings/finding.ts): money as decimal text in fields
 * named for dollars (`*_usd*`), shares and rates as fractions in fields named for them, counts as whole numbers.
 * The lines are plain text: the page escapes them.
 */
export function evidenceLines(evidence: Evidence): { label: string; value: string }[] {
  return Object.entries(evidence).map(([key, value]) => ({ label: key.replace(/_/g, ' '), value: formatValue(key, value) }));
}

const moneyKey = /(^|_)usd(_|$)/;
const shareKey = /(^|_)(share|rate)(_|$)/;
const decimal = /^-?\d+(\.\d{1,9})?$/;

function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return moneyKey.test(key) && decimal.test(value) ? formatUsd(value) : value;
  if (typeof value === 'number') return formatNumber(key, value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map((item) => formatValue(key, item)).join('; ');
  // a nested object's keys may be data (feature names): they are shown as they are
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  // a list item such as {feature, spend_usd_week} leads with what it is about
  if (first && typeof first[1] === 'string' && entries.length > 1) {
    return `${first[1]} (${entries.slice(1).map(([k, v]) => `${k}: ${formatValue(k, v)}`).join(', ')})`;
  }
  return entries.map(([k, v]) => `${k}: ${formatValue(k, v)}`).join(', ');
}

function formatNumber(key: string, n: number): string {
  // a per-token price is a dollar amount too small for formatUsd's digits: it keeps its significant ones
  if (moneyKey.test(key)) return Math.abs(n) >= 0.0001 ? formatUsd(String(n)) : `$${n.toPrecision(3)}`;
  if (shareKey.test(key) && Math.abs(n) <= 1) return formatPercent(n);
  if (Number.isInteger(n)) return formatCount(n);
  return Math.abs(n) >= 1 ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(Number(n.toPrecision(3)));
}
