import { sqlFile } from '../sql/files.js';
import { sharedFrom } from '../detect/ledger-reads.js';
import { addDays, contiguousRanges, type DayRange } from '../time/days.js';
import type { JobContext } from './context.js';

/**
 * Which days a job that keeps a rollup must recompute before `through` (a day, exclusive): the trailing days of
 * config `rollup.trailing_days`, where late rows usually land, plus every earlier day a load has touched since the
 * rollup last ran (the `pending_days` table), as contiguous ranges. Recomputing a range replaces it whole, so
 * recomputing a day that did not change is only wasted work, never a wrong answer.
 */
export async function staleRanges(context: JobContext, through: string, job: string): Promise<DayRange[]> {
  return contiguousRanges(await staleDays(context, through, job));
}

async function staleDays(context: JobContext, through: string, job: string): Promise<string[]> {
  const { engine, config } = context;
  const pending = await engine.query(
    `select distinct day from {{ table(pending_days) }} where day < cast(@through as date)`,
    { through },
    { labels: { job } },
  );
  const trailing = Array.from({ length: config.rollup.trailing_days }, (_, i) => addDays(through, -1 - i));
  return [...trailing, ...pending.map((r) => String(r.day))];
}

/**
 * Recomputes the hours of calls_by_hour in `ranges` from the raw calls, each range replaced whole (and so at once).
 */
export async function refreshCallsByHour(context: JobContext, ranges: DayRange[], job: string): Promise<void> {
  for (const range of ranges) {
    await context.engine.replaceRange('calls_by_hour', range, sqlFile('rollup/calls_by_hour.sql'), { ...range }, { labels: { job } });
  }
}

/**
 * What a job that reads or keeps calls_by_hour does first: recompute its stale days before `through` (a day,
 * exclusive), and any day of the detectors' widest window that calls_by_day has calls for and calls_by_hour lacks
 * (a ledger rolled up before the table existed heals on its first run). The rollup does it for the days it
 * recomputes; the detector jobs and advise for the days still stale when they run, so that they never read an hour
 * a load has changed since. They leave `pending_days` to the rollup, which needs it for its own tables.
 */
export async function refreshStaleHours(context: JobContext, through: string, job: string): Promise<void> {
  const hourless = await context.engine.query(
    sqlFile('rollup/days_without_hours.sql'),
    { from: sharedFrom({ config: context.config, asOf: through }), to: through },
    { labels: { job } },
  );
  const ranges = contiguousRanges([...(await staleDays(context, through, job)), ...hourless.map((r) => String(r.day))]);
  await refreshCallsByHour(context, ranges, job);
}
