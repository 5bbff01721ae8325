import { EngineError } from '../errors.js';
import { fromNanos, toNanos } from '../money.js';
import { featureConfig } from '../config/finops-config.js';
import { sqlFile } from '../sql/files.js';
import { addDays, daysBetween, type DayRange } from '../time/days.js';
import type { JobContext, JobResult } from './context.js';
import { refreshStaleHours, staleRanges } from './stale-days.js';

/**
 * The rollup job: cost per outcome by day, and the hourly sums the detectors read (calls_by_hour). Incremental and
 * idempotent: it recomputes a trailing window of days
 * (config `rollup.trailing_days`) plus every earlier day a load touched since (the `pending_days` table), each
 * range replaced atomically, so a second run leaves identical tables and late rows are taken in. Before it
 * returns it checks the money: the rolled-up spend equals the raw calls' cost, to the nano-dollar.
 */

export interface RollupResult extends JobResult {
  job: 'rollup';
  ranges: DayRange[];
  days: number;
  calls: number;
  spend_usd: string;
  reconciled: true;
}

/** Outcomes seen within this many days make a feature without a configured unit an outcome feature. */
const unitLookbackDays = 365;

export async function runRollup(context: JobContext): Promise<RollupResult> {
  const { engine, asOf } = context;
  const startedAt = context.now().toISOString();
  const labels = { job: 'rollup' };

  const ranges = await staleRanges(context, asOf, 'rollup');
  for (const range of ranges) {
    const params = { from: range.from, to: range.to };
    await engine.replaceRange('calls_by_day', range, sqlFile('rollup/calls_by_day.sql'), params, { labels });
    await engine.replaceRange('outcomes_by_day', range, sqlFile('rollup/outcomes_by_day.sql'), params, { labels });
  }
  await refreshStaleHours(context, asOf, 'rollup');

  const outcomeFeatures = await featuresMeasuredInOutcomes(context);
  for (const range of ranges) {
    await engine.replaceRange(
      'cost_per_outcome_by_day',
      range,
      sqlFile('rollup/cost_per_outcome_by_day.sql'),
      { from: range.from, to: range.to, outcome_features: outcomeFeatures },
      { labels },
    );
  }

  const totals = await reconcile(context, ranges);
  await engine.query(
    `delete from {{ table(pending_days) }} where day < cast(@as_of as date) and loaded_at <= cast(@started_at as timestamp)`,
    { as_of: asOf, started_at: startedAt },
    { labels },
  );
  return {
    job: 'rollup',
    as_of: asOf,
    findings: [],
    ranges,
    days: ranges.reduce((n, r) => n + daysBetween(r.from, r.to), 0),
    ...totals,
    reconciled: true,
  };
}

/** Features whose unit of work is an outcome: configured so, or unconfigured and with outcomes in the last year. */
async function featuresMeasuredInOutcomes(context: JobContext): Promise<string[]> {
  const { engine, config, asOf } = context;
  const seen = await engine.query(
    sqlFile('rollup/features_with_outcomes.sql'),
    { from: addDays(asOf, -unitLookbackDays), to: asOf },
    { labels: { job: 'rollup' } },
  );
  const candidates = new Set([...seen.map((r) => String(r.feature)), ...Object.keys(config.features)]);
  const seenSet = new Set(seen.map((r) => String(r.feature)));
  return [...candidates]
    .filter((feature) => {
      const unit = featureConfig(config, feature).unit;
      return unit === 'outcomes' || (unit === null && seenSet.has(feature));
    })
    .sort();
}

/** The rollups of the calls that carry their spend, with their partition column and its type. */
const rollupsOfCalls = [
  ['cost_per_outcome_by_day', 'day', 'date'],
  ['calls_by_hour', 'hour', 'timestamp'],
] as const;

/**
 * The money check: for every recomputed range, the spend of each rollup of the calls (cost per outcome, and the
 * hours the detectors read) equals the sum of cost_usd over the raw calls. Both sides are exact decimals, so they
 * are compared as strings; a difference is a bug, never rounding.
 */
async function reconcile(context: JobContext, ranges: DayRange[]): Promise<{ calls: number; spend_usd: string }> {
  const { engine } = context;
  let calls = 0;
  let spend = 0n;
  for (const range of ranges) {
    const [ledger] = await engine.query(
      `select count(*) as calls, {{ money(coalesce(sum(cost_usd), 0)) }} as spend_usd from {{ table(llm_calls) }}
       where ts >= cast(@from as timestamp) and ts < cast(@to as timestamp)`,
      { ...range },
      { labels: { job: 'rollup' } },
    );
    for (const [table, column, type] of rollupsOfCalls) {
      const [sums] = await engine.query(
        `select coalesce(sum(calls), 0) as calls, {{ money(coalesce(sum(spend_usd), 0)) }} as spend_usd
         from {{ table(${table}) }}
         where ${column} >= cast(@from as ${type}) and ${column} < cast(@to as ${type})`,
        { ...range },
        { labels: { job: 'rollup' } },
      );
      if (ledger!.spend_usd !== sums!.spend_usd || ledger!.calls !== sums!.calls) {
        throw new EngineError(
          `rollup does not reconcile for ${range.from}..${range.to}: the calls cost ${ledger!.spend_usd} USD over ` +
            `${ledger!.calls} calls, ${table} says ${sums!.spend_usd} USD over ${sums!.calls}`,
        );
      }
    }
    calls += Number(ledger!.calls);
    spend += toNanos(String(ledger!.spend_usd));
  }
  return { calls, spend_usd: fromNanos(spend) };
}
