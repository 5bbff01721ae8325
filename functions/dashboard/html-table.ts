import { escapeHtml } from './html.js';

/**
 * An HTML table, sortable by clicking a column header (sort-script.ts). Each cell carries what it shows, as
 * text, and the value it sorts by: a number for amounts, counts and changes (so $1,234.50 sorts after $99.00),
 * its text otherwise; a cell with no value (–) sorts last either way. A footer row (the total) stays put.
 */
export interface HtmlColumn<R> {
  header: string;
  numeric?: boolean;
  /** What the cell shows; escaped. */
  text: (row: R) => string;
  /** What it sorts by: a number, or null for no value; default: its text. */
  sort?: (row: R) => number | null;
  /** A class for the cell, e.g. to colour a change up or down. */
  className?: (row: R) => string | undefined;
}

export interface HtmlTableOptions {
  caption: string;
  footer?: string[];
  /** Said instead of an empty table. */
  empty: string;
}

export function htmlTable<R>(columns: HtmlColumn<R>[], rows: readonly R[], options: HtmlTableOptions): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(options.empty)}</p>`;
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}><button type="button">${escapeHtml(c.header)}</button></th>`)
    .join('');
  const body = rows
    .map((row) => {
      const cells = columns.map((c) => {
        const sortValue = c.sort ? c.sort(row) : c.text(row);
        const classes = [c.numeric ? 'num' : undefined, c.className?.(row)].filter(Boolean).join(' ');
        return (
          `<td${classes ? ` class="${classes}"` : ''} data-sort="${escapeHtml(sortValue === null ? '' : String(sortValue))}">` +
          `${escapeHtml(c.text(row))}</td>`
        );
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const foot = options.footer
    ? `<tfoot><tr>${options.footer.map((text, i) => `<td${columns[i]?.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`).join('')}</tr></tfoot>`
    : '';
  return (
    `<div class="scroll"><table class="sortable"><caption>${escapeHtml(options.caption)}</caption>` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>${foot}</table></div>`
  );
}
