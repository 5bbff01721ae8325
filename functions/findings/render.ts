import { formatUsd } from '../money.js';
import { renderTable, type TableColumn } from '../format/table.js';
import { rankFindings } from './store.js';
import type { Finding, Severity } from './finding.js';

/**
 * Findings as a person reads them: one line each, ranked (open first, then by monthly impact), the severity
 * marked so a page stands out in a scroll of text, the onset to the hour where it is known, the dollars, and the
 * sentence that says what happened.
 */

const marks: Record<Severity, string> = { page: '!! page', warn: ' ! warn', info: '   info' };

export interface RenderFindingsOptions {
  title: string;
  /** Show each finding's key, for `ai-finops findings ack KEY`. */
  keys?: boolean;
  /** Said instead of an empty table. */
  none?: string;
}

export function renderFindings(findings: Finding[], options: RenderFindingsOptions): string {
  if (findings.length === 0) return `${options.title}\n\n${options.none ?? 'No findings.'}`;
  const columns: TableColumn<Finding>[] = [
    { header: 'severity', value: (f) => marks[f.severity] },
    { header: 'impact/month', align: 'right', value: (f) => formatUsd(f.impact_usd_month) },
    { header: 'kind', value: (f) => f.kind },
    { header: 'feature', value: (f) => f.feature ?? '(no feature)' },
    { header: 'since', value: (f) => since(f.first_seen) },
    { header: 'status', value: (f) => (f.status === 'acked' && f.acked_until ? `acked until ${f.acked_until}` : f.status) },
    ...(options.keys ? [{ header: 'key', value: (f: Finding) => f.key }] : []),
    { header: 'summary', value: (f) => f.summary },
  ];
  const counts = (['page', 'warn', 'info'] as const)
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return renderTable(columns, rankFindings(findings), { title: `${options.title}: ${counts}` });
}

/** `2026-11-17T09:00:00Z` -> `2026-11-17 09:00`; a day-grained onset (midnight) -> `2026-11-17`. */
export function since(stamp: string): string {
  const day = stamp.slice(0, 10);
  const time = stamp.slice(11, 16);
  return time === '00:00' ? day : `${day} ${time}`;
}
