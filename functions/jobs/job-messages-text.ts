import type { MessageDelivery } from '../slack/deliver.js';
import type { JobMessages } from './job-messages.js';

/**
 * A job's Slack messages as a person reads them in a terminal: each message's text rendering, then one line on
 * where it went. `showText: false` gives the lines only (an hourly scan's pages, which the findings table already
 * lists).
 */
export function renderJobMessages(result: JobMessages, options: { showText?: boolean } = {}): string {
  const parts: string[] = [];
  for (const message of result.messages) {
    if (options.showText ?? true) parts.push(message.text);
    const line = outcomeLine(message);
    if (line !== '') parts.push(line);
  }
  if (result.earlier.length > 0) {
    parts.push(`Also posted what earlier runs left pending: ${result.earlier.map((d) => d.key).join(', ')}.`);
  }
  return parts.join('\n\n');
}

function outcomeLine(message: MessageDelivery): string {
  switch (message.outcome) {
    case 'posted':
      return `→ ${message.key}: posted to ${message.channel} (ts ${message.slack_ts}).`;
    case 'already sent':
      return `→ ${message.key}: already posted to ${message.channel} (ts ${message.slack_ts}), not posted again; --force posts it again.`;
    case 'written':
      return `→ ${message.key}: not posted (no Slack token in this run); written to ${message.written.join(', ')}.`;
    case 'pending':
      return `→ ${message.key}: not delivered, pending for the next run: ${message.error}`;
    case 'failed':
      return `→ ${message.key}: not delivered, refused by Slack: ${message.error}; skipped until fixed and re-queued with --force.`;
    case 'built':
      return '';
  }
}
