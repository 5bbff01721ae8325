import type { Finding } from '../findings/finding.js';
import { digestInput } from '../slack/digest-input.js';
import { buildDigest } from '../slack/digest.js';
import type { DayRange } from '../time/days.js';
import type { JobContext, JobResult } from './context.js';
import { deliverJobMessages, type JobMessages } from './job-messages.js';

/**
 * The weekly digest (CONTRACT.md: `ai-finops run digest`, Monday 09:00): the week's spend, cost per outcome,
 * forecast and open findings (functions/slack/digest.ts), delivered once per week: a rerun (Cloud Scheduler
 * retries) finds its key `digest:MONDAY` sent and posts nothing.
 */
export interface DigestResult extends JobResult, JobMessages {
  job: 'digest';
  /** The open findings the digest lists, ranked. */
  findings: Finding[];
  week: DayRange;
}

export async function runDigest(context: JobContext): Promise<DigestResult> {
  const input = await digestInput(context);
  const delivered = await deliverJobMessages(context, { kinds: ['digest'], messages: [buildDigest(input)] });
  return { job: 'digest', as_of: context.asOf, findings: input.findings.map((f) => f.finding), week: input.week, ...delivered };
}
