import { deliverMessages, type MessageDelivery, type Outbox } from '../slack/deliver.js';
import { messageText } from '../slack/text.js';
import type { JobContext } from './context.js';

/**
 * What a job that sends Slack messages (digest, month-end, anomaly-scan's pages) reports about them: each message
 * with how it went (posted, already sent, written under --out, built) and its text rendering, which is what a
 * Slack-less run prints; plus the deliveries of the job's kinds earlier runs left pending that this run sent.
 */
export interface JobMessages {
  messages: (MessageDelivery & { text: string })[];
  earlier: MessageDelivery[];
}

export async function deliverJobMessages(context: JobContext, outbox: Outbox): Promise<JobMessages> {
  const report = await deliverMessages(context, outbox);
  return {
    messages: report.messages.map((delivery, i) => ({ ...delivery, text: messageText(outbox.messages[i]!) })),
    earlier: report.earlier,
  };
}
