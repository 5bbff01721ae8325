/**
 * Tables a person reads in a terminal: a title, right-aligned numbers, a rule under the header, and a total row
 * set apart. Plain text, so it pastes into a ticket or a chat as it is.
 */

export interface TableColumn<R> {
  header: string;
  align?: 'left' | 'right';
  value: (row: R) => string;
}

export interface TableOptions {
  title?: string;
  /** A last row, under a rule of its own (e.g. the total). */
  footer?: string[];
  note?: string;
}

export function renderTable<R>(columns: TableColumn<R>[], rows: R[], options: TableOptions = {}): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const all = [columns.map((c) => c.header), ...cells, ...(options.footer ? [options.footer] : [])];
  const widths = columns.map((_, i) => Math.max(...all.map((line) => (line[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out: string[] = [];
  if (options.title) out.push(options.title, '');
  out.push(line(columns.map((c) => c.header)), rule, ...cells.map(line));
  if (options.footer) out.push(rule, line(options.footer));
  if (options.note) out.push('', options.note);
  return out.join('\n');
}

/** 0.1234 -> '+12.3%'; null -> '–'. */
export function formatChange(change: number | null): string {
  if (change === null || !Number.isFinite(change)) return '–';
  const pct = change * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(Math.abs(pct) < 10 ? 1 : 0)}%`;
}

export function formatPercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

/** 1234567 -> '1,234,567'; large token counts as '12.3M'. */
export function formatCount(n: number, compact = false): string {
  if (compact && Math.abs(n) >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (compact && Math.abs(n) >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return n.toLocaleString('en-US');
}
