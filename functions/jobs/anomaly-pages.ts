import type { Finding } from '../findings/finding.js';
import { readFindings } from '../findings/store.js';
import { readDeliveries } from '../slack/deliveries.js';
import { buildAnomalyPage, buildResolvedReply } from '../slack/anomaly-page.js';
import type { SlackMessage } from '../slack/message.js';
import type { JobContext } from './context.js';

/**
 * What the hourly anomaly-scan pages, from the stored findings and the delivery ledger: a page for each open (not
 * acked) finding of severity `page` that has not been paged yet, whichever job found it; and, for each paged
 * finding since resolved (by the daily jobs: the scan never resolves anything), a reply in the page's thread.
 * With --force, the open ones are paged again.
 */

/** A resolution older than this gets no reply: the thread has gone cold, and the read stays bounded. */
export const replyWindowDays = 7;

export async function pageMessages(context: JobContext): Promise<SlackMessage[]> {
  const paging = (await readFindings(context.engine)).filter((f) => f.severity === 'page');
  const open = paging.filter((f) => f.status === 'open');
  const oldest = context.now().getTime() - replyWindowDays * 86_400_000;
  const resolved = paging.filter((f) => f.status === 'resolved' && Date.parse(f.updated_at) >= oldest);
  const keys = [...open.map(pageKey), ...resolved.flatMap((f) => [pageKey(f), `resolved:${f.key}`])];
  const delivered = new Set((await readDeliveries(context.engine, keys)).map((d) => d.key));
  const force = context.delivery?.force ?? false;
  return [
    ...open.filter((f) => force || !delivered.has(pageKey(f))).map((f) => buildAnomalyPage(f, context.config)),
    ...resolved.filter((f) => delivered.has(pageKey(f)) && !delivered.has(`resolved:${f.key}`)).map(buildResolvedReply),
  ];
}

function pageKey(finding: Finding): string {
  return `page:${finding.key}`;
}
