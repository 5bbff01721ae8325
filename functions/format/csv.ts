/** RFC 4180 CSV: a header, then one line per row; fields with a comma, quote or newline are quoted. */
export function toCsv(rows: Record<string, unknown>[], columns: string[]): string {
  const field = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((c) => field(row[c])).join(','))].join('\n') + '\n';
}
