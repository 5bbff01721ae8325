import type { KnownBlock } from '@slack/web-api';
import { slackLimits } from '../../functions/slack/limits.js';
import type { SlackMessage } from '../../functions/slack/message.js';

/** Every way a message breaks Slack's limits (limits.ts), as sentences; empty when it is within them. */
export function limitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.blocks.length > slackLimits.blocks) problems.push(`${message.blocks.length} blocks`);
  if (message.text.length > slackLimits.messageText) problems.push(`text of ${message.text.length} characters`);
  message.blocks.forEach((block: KnownBlock, i) => {
    if (block.type === 'header' && block.text.text.length > slackLimits.headerText) problems.push(`header ${i} of ${block.text.text.length}`);
    if (block.type === 'section') {
      if ((block.text?.text.length ?? 0) > slackLimits.sectionText) problems.push(`section ${i} of ${block.text!.text.length}`);
      if ((block.fields?.length ?? 0) > slackLimits.sectionFields) problems.push(`section ${i} with ${block.fields!.length} fields`);
      for (const field of block.fields ?? []) if (field.text.length > slackLimits.fieldText) problems.push(`a field of section ${i}`);
      if (block.text === undefined && (block.fields?.length ?? 0) === 0) problems.push(`section ${i} is empty`);
    }
    if (block.type === 'context' && block.elements.length > slackLimits.contextElements) problems.push(`context ${i} with ${block.elements.length}`);
  });
  return problems;
}

/** All the text of a message's blocks, for asserting what a reader sees (and what must never appear). */
export function blockTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((block: KnownBlock) => {
    if (block.type === 'header') return [block.text.text];
    if (block.type === 'section') return [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)];
    if (block.type === 'context') return block.elements.map((e) => ('text' in e ? e.text : ''));
    return [];
  });
}
