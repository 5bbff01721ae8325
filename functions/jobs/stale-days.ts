import { sqlFile } from '../sql/files.js';
import { addDays, contiguousRanges, type DayRange } from '../time/days.js';
import type { JobContext } from './context.js';

/**
 * Which days a job that keeps a rollup must recompute before `through` (a day, exclusive): the trailing days of
 * config `rollup.trailing_days`, where late rows usually land, plus every earlier day a load has touched since the
 * rollup last ran (the `pending_days` table), as contiguous ranges. Recomputing a range replaces it whole, so
 * recomputing a day that did not change is only wasted work, never a wrong answer.
 */
export async function staleRanges(context: JobContext, through: string, job: string): Promise<DayRange[]> {
  const { engine, config } = context;
  const pending = await engine.query(
    `select distinct day from {{ table(pending_days) }} where day < cast(@through as date)`,
    { through },
    { labels: { job } },
  );
  const trailing = Array.from({ length: config.rollup.trailing_days }, (_, i) => addDays(through, -1 - i));
  return contiguousRanges([...trailing, ...pending.map((r) => String(r.day))]);
}

/**
 * Recomputes the hours of calls_by_hour in `ranges` from the raw calls. The rollup does it with its own ranges, and
 * the detector jobs do it for the days still stale when they run, so that the detectors never read a day the ledger
 * has changed since (they leave `pending_days` to the rollup, which also needs it).
 */
export async function refreshCallsByHour(context: JobContext, ranges: DayRange[], job: string): Promise<void> {
  for (const range of ranges) {
    await context.engine.replaceRange('calls_by_hour', range, sqlFile('rollup/calls_by_hour.sql'), { ...range }, { labels: { job } });
  }
}

/** What a job that reads calls_by_hour does first: recompute its stale days before `through` (a day, exclusive). */
export async function refreshStaleHours(context: JobContext, through: string, job: string): Promise<void> {
  await refreshCallsByHour(context, await staleRanges(context, through, job), job);
}
