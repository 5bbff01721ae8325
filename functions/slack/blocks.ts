import type { ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/web-api';
import { codeText } from './escape.js';
import { fitLines, slackLimits, truncate } from './limits.js';

/**
 * The few Block Kit blocks ai-finops's messages are made of, each held to Slack's limits (limits.ts). Text passed
 * in is already escaped (escape.ts). Every mrkdwn text is `verbatim`, so Slack does not link-ify URLs, channel
 * names or mentions on its own: what the builder wrote is what shows.
 */

/** A header: plain text, never user data (so no escaping question), at most 150 characters. */
export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, slackLimits.headerText), emoji: true } };
}

/** A section of mrkdwn, cut to 3,000 characters. */
export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, slackLimits.sectionText), verbatim: true } };
}

/**
 * A section listing lines under an optional title: as many whole lines as fit in the section, then `more(n)` for
 * the rest (never a line cut in half), counting `omitted` lines already left out before.
 */
export function listSection(title: string | null, lines: readonly string[], more: (n: number) => string, omitted = 0): SectionBlock {
  const text = fitLines(lines, slackLimits.sectionText, { more, omitted, before: title === null ? '' : title + '\n' });
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

/**
 * A table as a code block, the one format that reads aligned in Slack and in a terminal alike: the table's
 * header lines, then as many rows as fit, then `more(n)` (inside the block, so the fences always close).
 * Lines must be escaped with codeText.
 */
export function codeSection(title: string | null, head: readonly string[], rows: readonly string[], more: (n: number) => string): SectionBlock {
  const before = (title === null ? '' : title + '\n') + '```\n' + head.map((line) => line + '\n').join('');
  const text = fitLines(rows, slackLimits.sectionText, { more, before, after: '\n```' });
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

/**
 * A table rendered by renderTable (without a title) as a code section: its header and rule always shown, its rows
 * (and footer) as many as fit. Lines are escaped here, after the table is laid out on the raw text, so columns stay
 * aligned where Slack and the terminal show the raw characters.
 */
export function tableSection(title: string | null, table: string, more: (n: number) => string): SectionBlock {
  const lines = table.split('\n').map(codeText);
  return codeSection(title, lines.slice(0, 2), lines.slice(2), more);
}

/** Small grey text under a message: where the numbers come from, what to run next. */
export function context(...texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts.slice(0, slackLimits.contextElements).map((text) => ({ type: 'mrkdwn', text: truncate(text, slackLimits.fieldText), verbatim: true })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** A message's blocks, at most 50: a builder's lists are bounded, so this only guards against a bug. */
export function blocksWithin(blocks: KnownBlock[]): KnownBlock[] {
  return blocks.length <= slackLimits.blocks ? blocks : [...blocks.slice(0, slackLimits.blocks - 1), context(`…and ${blocks.length - slackLimits.blocks + 1} more blocks`)];
}
