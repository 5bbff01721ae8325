import type { Finding } from '../findings/finding.js';
import { stamp } from '../findings/stamps.js';
import { readFindings } from '../findings/store.js';
import { readDeliveries, readPages, type Delivery } from '../slack/deliveries.js';
import type { Outbox } from '../slack/deliver.js';
import { buildAnomalyPage, buildResolvedReply, pageKey, resolvedKey } from '../slack/anomaly-page.js';
import type { JobContext } from './context.js';

/**
 * What the hourly anomaly-scan pages, from the stored findings and the delivery ledger: a page for each open (not
 * acked) finding of severity `page` whose current episode has not been paged yet, whichever job found it; and, for
 * each paged episode since resolved (by the daily jobs: the scan never resolves anything), a reply in the page's
 * thread. With --force, the open ones are paged again, and a reply Slack refused is re-queued.
 *
 * Episodes: a finding that resolves and opens again (merge.ts) starts a new episode whose first_seen is its new
 * onset, later than anything in the episode before; within an episode first_seen only moves earlier. So the page
 * of the current episode is the finding's page keyed (anomaly-page.ts, `page:KEY:ONSET`) at or after its
 * first_seen, and a page keyed before it belongs to an episode that is over.
 */

/** The kinds the anomaly-scan delivers (deliver.ts, Outbox): its pages and their resolved replies. */
export const pageKinds = ['page', 'resolved'] as const;

/** A resolution older than this gets no reply: the thread has gone cold, and the read stays bounded. */
export const replyWindowDays = 7;

export async function pageMessages(context: JobContext): Promise<Outbox> {
  const paging = (await readFindings(context.engine)).filter((f) => f.severity === 'page');
  const open = paging.filter((f) => f.status === 'open');
  const oldest = context.now().getTime() - replyWindowDays * 86_400_000;
  const resolved = paging.filter((f) => f.status === 'resolved' && Date.parse(f.updated_at) >= oldest);
  const pages = await readPages(context.engine, [...open, ...resolved].map((f) => f.key));
  const pageOf = (f: Finding) => episodePage(f, pages);

  // a reply only to a page that went out: a page still pending or refused has no thread to reply in
  const answered = resolved.flatMap((f) => {
    const page = pageOf(f);
    return page?.slack_ts ? [{ finding: f, onset: onsetOf(page) }] : [];
  });
  const replies = new Map((await readDeliveries(context.engine, answered.map((a) => resolvedKey(a.finding.key, a.onset)))).map((d) => [d.key, d]));
  const force = context.delivery?.force ?? false;
  const unanswered = answered.filter(({ finding, onset }) => {
    const reply = replies.get(resolvedKey(finding.key, onset));
    return reply === undefined || (force && reply.status === 'failed');
  });

  const messages = [
    ...open.flatMap((f) => {
      const page = pageOf(f);
      return page !== undefined && !force ? [] : [buildAnomalyPage(f, context.config, page === undefined ? f.first_seen : onsetOf(page))];
    }),
    ...unanswered.map(({ finding, onset }) => buildResolvedReply(finding, onset)),
  ];
  return { kinds: pageKinds, messages };
}

/** The page of the finding's current episode: its latest page keyed at or after its first_seen, if any. */
function episodePage(finding: Finding, pages: Delivery[]): Delivery | undefined {
  const firstSeen = stamp(finding.first_seen);
  return pages
    .filter((p) => p.key === pageKey(finding.key, onsetOf(p)) && onsetOf(p) >= firstSeen)
    .sort((a, b) => (onsetOf(a) < onsetOf(b) ? 1 : -1))[0];
}

/** The episode's onset in a page's key: its last 20 characters (a stamp, `2026-11-23T09:00:00Z`). */
function onsetOf(page: Delivery): string {
  return page.key.slice(-20);
}
