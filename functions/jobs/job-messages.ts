import { deliverMessages, type MessageDelivery } from '../slack/deliver.js';
import type { SlackMessage } from '../slack/message.js';
import { messageText } from '../slack/text.js';
import type { JobContext } from './context.js';

/**
 * What a job that sends Slack messages (digest, month-end, anomaly-scan's pages) reports about them: each message
 * with how it went (posted, already sent, written under --out, built) and its text rendering, which is what a
 * Slack-less run prints; plus the deliveries earlier runs left pending that this run sent.
 */
export interface JobMessages {
  messages: (MessageDelivery & { text: string })[];
  earlier: MessageDelivery[];
}

export async function deliverJobMessages(context: JobContext, messages: SlackMessage[]): Promise<JobMessages> {
  const report = await deliverMessages(context, messages);
  return {
    messages: report.messages.map((delivery, i) => ({ ...delivery, text: messageText(messages[i]!) })),
    earlier: report.earlier,
  };
}
