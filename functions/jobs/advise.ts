import { writeAdvice, type AdviceRow } from '../advise/advice.js';
import { adviseContext } from '../advise/advisor.js';
import { advisors } from '../advise/advisors.js';
import type { JobContext, JobResult } from './context.js';
import { refreshStaleHours } from './stale-days.js';

/**
 * The advise job (CONTRACT.md: `ai-finops run advise`, part of the month-end run): runs every advisor (chargeback,
 * routing, caching, commit, fine-tuning, self-hosting) as of a day and writes their advice, with the inputs behind each
 * piece, into the `advice` table under that day. Idempotent: the day's rows are replaced at once, so two runs of
 * one day leave the same rows. Advice is not a finding: `findings` stays empty (the deprecation-readiness finding,
 * no_fallback_model, is a detector of `run detect`).
 */

export interface AdviseResult extends JobResult {
  job: 'advise';
  findings: [];
  /** The advice written, advisor by advisor, the largest saving first within each. */
  advice: AdviceRow[];
  /** How many pieces of advice each advisor gave. */
  advisors: { name: string; advice: number }[];
}

export async function runAdvise(context: JobContext): Promise<AdviseResult> {
  // the routing advice reads the detectors' hours (functions/detect/ledger-reads.ts)
  await refreshStaleHours(context, context.asOf, 'advise');
  const advise = adviseContext(context);
  const given = [];
  const counts: AdviseResult['advisors'] = [];
  for (const advisor of advisors) {
    const advice = await advisor.advise(advise);
    counts.push({ name: advisor.name, advice: advice.length });
    given.push(...advice);
  }
  const rows = await writeAdvice(context.engine, context.asOf, context.now().toISOString(), given);
  return { job: 'advise', as_of: context.asOf, findings: [], advice: rows, advisors: counts };
}
