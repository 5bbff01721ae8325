import type { KnownBlock } from '@slack/web-api';
import { unescapeEntities } from './escape.js';
import type { SlackMessage } from './message.js';

/**
 * A Slack message as a person reads it in a terminal: what a Slack-less run prints, and what the demo shows. Read
 * from the blocks themselves, so the terminal shows exactly what Slack would: a header underlined, mrkdwn with its
 * markers taken off (`*bold*`, `_italic_`, `` `code` ``, links as "label (url)"), code blocks (the tables) as they
 * are, context lines as they are, and each attached file by its title and alt text.
 */
export function messageText(message: SlackMessage): string {
  const parts = message.blocks.map(blockText).filter((part) => part !== '');
  for (const file of message.files ?? []) parts.push(`[attached: ${file.filename}: ${file.title}. ${file.altText}]`);
  return parts.join('\n\n');
}

function blockText(block: KnownBlock): string {
  switch (block.type) {
    case 'header':
      return `${block.text.text}\n${'═'.repeat(Math.min(block.text.text.length, 100))}`;
    case 'section':
      // a field is "*Label*\nvalue": one line, "Label: value", in a terminal
      return [block.text?.text, ...(block.fields ?? []).map((f) => f.text.replace(/^\*([^*\n]+)\*\n/, '*$1*: '))]
        .filter((t): t is string => t !== undefined)
        .map(plain)
        .join('\n');
    case 'context':
      return block.elements.map((e) => ('text' in e ? plain(e.text) : '')).filter((t) => t !== '').join('  ·  ');
    case 'divider':
      return '─'.repeat(40);
    case 'image':
      return `[image: ${block.alt_text}]`;
    default:
      return '';
  }
}

/** mrkdwn to plain text: code blocks kept as they are (without their fences), formatting marks removed elsewhere. */
export function plain(mrkdwn: string): string {
  return mrkdwn
    .split('```')
    .map((part, i) => (i % 2 === 1 ? part.replace(/^\n/, '').replace(/\n$/, '') : unmark(part)))
    .map(unescapeEntities)
    .join('');
}

function unmark(text: string): string {
  return text
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/gm, '$1$2')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/gm, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}
