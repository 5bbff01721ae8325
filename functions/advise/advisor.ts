import { DetectReader, type DetectContext } from '../detect/detector.js';
import type { JobContext } from '../jobs/context.js';
import type { Advice, AdvisorName } from './advice.js';

/**
 * What an advisor is: a named function from the ledger as of a day to advice. Advisors read through the run's
 * DetectReader (functions/detect/detector.ts), so the routing advice shares the detectors' reads and the
 * advisors that read the same grain (usage by day, feature and model) read it once per run.
 */
export type AdviseContext = DetectContext;

export interface Advisor {
  name: AdvisorName;
  advise: (context: AdviseContext) => Promise<Advice[]>;
}

/** A job's context with the reader the advisors share, its queries labelled `advise`. */
export function adviseContext(context: JobContext): AdviseContext {
  return { ...context, job: 'advise', reader: new DetectReader(context.engine, 'advise') };
}
