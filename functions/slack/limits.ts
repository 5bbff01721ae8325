/**
 * Slack's limits, in one place (https://api.slack.com/reference/block-kit/blocks): a message over them is refused
 * whole (`invalid_blocks`, `msg_too_long`), so the builders cut long lists and texts themselves, saying what they
 * left out ("and 12 more") instead of losing the message.
 */
export const slackLimits = {
  /** Blocks in one message. */
  blocks: 50,
  /** Characters of a section's text. */
  sectionText: 3000,
  /** Characters of a header's plain text. */
  headerText: 150,
  /** Fields of one section. */
  sectionFields: 10,
  /** Characters of one field. */
  fieldText: 2000,
  /** Elements of one context block. */
  contextElements: 10,
  /** Characters of a message's top-level (notification) text; Slack truncates at 40,000, and advises far less. */
  messageText: 4000,
} as const;

const ellipsis = '…';

/**
 * Cuts text to at most `max` characters (UTF-16 units, as Slack counts), ending in `…` when cut. Never cuts inside
 * an escape (`&amp;`, `&lt;`, `&gt;`) nor a surrogate pair, so what is left is still valid, escaped text.
 * @example truncate('a &amp; b', 4) // 'a …'
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ellipsis.length;
  const entity = text.lastIndexOf('&', end);
  if (entity >= 0 && entity > end - 5 && /^&(amp|lt|gt);/.test(text.slice(entity)) && text.indexOf(';', entity) >= end) end = entity;
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1]!)) end -= 1;
  return text.slice(0, Math.max(0, end)) + ellipsis;
}

export interface FitLinesOptions {
  /** The line that stands for the `n` lines left out, e.g. `n => \`…and ${n} more\``. */
  more: (n: number) => string;
  /** Text before and after the lines, counted in the limit (e.g. a title, or the fences of a code block). */
  before?: string;
  after?: string;
  /** Lines already left out before (a list cut by count first): counted in the `more` line, which then always shows. */
  omitted?: number;
}

/**
 * As many whole lines as fit in `max` characters, joined by newlines between `before` and `after`, plus the
 * `more` line for the rest. Lines are never cut in the middle (a table row or a finding stays whole).
 * @example fitLines(['a', 'b', 'c'], 4, { more: (n) => `+${n}` }) // 'a\n+2'
 */
export function fitLines(lines: readonly string[], max: number, options: FitLinesOptions): string {
  const before = options.before ?? '';
  const after = options.after ?? '';
  const omitted = options.omitted ?? 0;
  const join = (kept: readonly string[], cut: number) =>
    before + [...kept, ...(cut + omitted > 0 ? [options.more(cut + omitted)] : [])].join('\n') + after;
  let kept = lines.length;
  while (kept > 0 && join(lines.slice(0, kept), lines.length - kept).length > max) kept--;
  return truncate(join(lines.slice(0, kept), lines.length - kept), max);
}

/**
 * The first `max` items, and how many were left out: for lists cut by count (the findings a digest lists) rather
 * than by length.
 */
export function takeFirst<T>(items: readonly T[], max: number): { kept: T[]; left: number } {
  return { kept: items.slice(0, max), left: Math.max(0, items.length - max) };
}
