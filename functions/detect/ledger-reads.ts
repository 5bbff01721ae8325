import type { Row } from '../engine/engine.js';
import { addDays } from '../time/days.js';
import type { DetectContext } from './detector.js';

/**
 * The grains the detectors read (sql/detect/), typed. Each read goes through the run's DetectReader, so detectors
 * that share a grain share one query. Three grains of the rollup table calls_by_hour serve nearly all of them, each
 * read at the coarsest grain its detectors judge, since bringing rows into JavaScript is what a run spends most on:
 * days (per feature, prompt and model) over the day-grained detectors' widest window, feature hours over the spend
 * anomaly's window and history, and hours per model over the retries window. Each detector keeps the days or hours
 * of its own window.
 */

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/** The sums of calls_by_hour that the day and hour-per-model grains carry (sql/rollup/calls_by_hour.sql). */
export interface CallSums {
  calls: number;
  requests: number;
  ok_requests: number;
  retried_requests: number;
  retry_calls: number;
  failed_calls: number;
  spend_usd: number;
  retry_spend_usd: number;
  no_segment_spend_usd: number;
  unpriced_calls: number;
  unpriced_tokens: number;
  priced_tokens: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_input_tokens: number;
  output_tokens: number;
  ok_input_tokens: number;
  ok_cached_input_tokens: number;
  ok_output_tokens: number;
  ok_spend_usd: number;
  quality_sum: number;
  quality_sq_sum: number;
  quality_n: number;
}

const sumColumns = [
  'calls', 'requests', 'ok_requests', 'retried_requests', 'retry_calls', 'failed_calls', 'spend_usd', 'retry_spend_usd',
  'no_segment_spend_usd', 'unpriced_calls', 'unpriced_tokens', 'priced_tokens', 'input_tokens', 'cached_input_tokens',
  'cache_write_input_tokens', 'output_tokens', 'ok_input_tokens', 'ok_cached_input_tokens', 'ok_output_tokens',
  'ok_spend_usd', 'quality_sum', 'quality_sq_sum', 'quality_n',
] as const satisfies readonly (keyof CallSums)[];

/** One hour (epoch milliseconds), feature, prompt, provider and model. */
export interface HourModelRow extends CallSums {
  hour: number;
  feature: string | null;
  prompt_id: string | null;
  provider: string | null;
  model: string;
}

/** One day, feature, prompt, provider and model: the hour rows summed per day. */
export interface DayModelRow extends CallSums {
  day: string;
  feature: string | null;
  prompt_id: string | null;
  provider: string | null;
  model: string;
}

/** One hour and feature: the hour rows summed over prompts and models (sql/detect/calls_by_hour_and_feature.sql). */
export interface FeatureHourRow {
  hour: number;
  feature: string | null;
  calls: number;
  requests: number;
  spend_usd: number;
}

/**
 * Days of history the spend anomaly reads before its window: up to 8 same weekdays, each needing the week before
 * it for its level, and 28 days of residuals before the first judged day: 28 + 56 + 7.
 */
export const anomalyHistoryDays = 91;

/** The first day of the read the daily detectors share: the widest of their windows (with the anomalies' history). */
export function sharedFrom(context: Pick<DetectContext, 'config' | 'asOf'>): string {
  const l = context.config.detectors.lookback_days;
  return addDays(context.asOf, -Math.max(l.anomalies + anomalyHistoryDays, l.retries, l.drift, l.switches, l.attribution, l.budget));
}

/** The first day of the day rows: the widest window of the day-grained detectors (no history before it). */
function dayFrom(context: Pick<DetectContext, 'config' | 'asOf'>): string {
  const l = context.config.detectors.lookback_days;
  return addDays(context.asOf, -Math.max(l.drift, l.switches, l.attribution, l.budget));
}

/** A row's feature, prompt, provider, model and sums, typed. */
function modelSums(r: Row): Omit<HourModelRow, 'hour'> {
  const row = { feature: text(r.feature), prompt_id: text(r.prompt_id), provider: text(r.provider), model: String(r.model) } as Omit<HourModelRow, 'hour'>;
  for (const column of sumColumns) row[column] = num(r[column]);
  return row;
}

/** The hour rows of [from, to) (`to` a day, or an instant for the hourly scan). */
export async function hourModelRows(context: DetectContext, from: string, to: string): Promise<HourModelRow[]> {
  const rows = await context.reader.rows('detect/calls_by_hour_prompt_and_model.sql', { from, to });
  return rows.map((r) => ({ hour: Date.parse(String(r.hour)), ...modelSums(r) }));
}

/**
 * The hour rows of the retries window (retry_storm and retry_cap_exceeded), up to the as-of day: read and converted
 * once per run.
 */
export function retryHourRows(context: DetectContext): Promise<HourModelRow[]> {
  const from = addDays(context.asOf, -context.config.detectors.lookback_days.retries);
  return context.reader.derived('retryHourRows', () => hourModelRows(context, from, context.asOf));
}

/** The feature hours of [from, to) (`to` a day, or an instant for the hourly scan). */
export async function featureHourRows(context: DetectContext, from: string, to: string): Promise<FeatureHourRow[]> {
  const rows = await context.reader.rows('detect/calls_by_hour_and_feature.sql', { from, to });
  return rows.map((r) => ({
    hour: Date.parse(String(r.hour)),
    feature: text(r.feature),
    calls: num(r.calls),
    requests: num(r.requests),
    spend_usd: num(r.spend_usd),
  }));
}

/** The feature hours of the widest daily window (spend_anomaly and data_gap), up to the as-of day, once per run. */
export function sharedFeatureHours(context: DetectContext): Promise<FeatureHourRow[]> {
  return context.reader.derived('sharedFeatureHours', () => featureHourRows(context, sharedFrom(context), context.asOf));
}

/**
 * The day rows of the widest day-grained window, up to the as-of day (sql/detect/calls_by_day_prompt_and_model.sql),
 * read and converted once per run; each day-grained detector keeps the days of its own window.
 */
export function dayModelRows(context: DetectContext): Promise<DayModelRow[]> {
  return context.reader.derived('dayModelRows', async () => {
    const rows = await context.reader.rows('detect/calls_by_day_prompt_and_model.sql', { from: dayFrom(context), to: context.asOf });
    return rows.map((r) => ({ day: String(r.day).slice(0, 10), ...modelSums(r) }));
  });
}

/** One hour, feature, model and attempt number above 1 (sql/detect/retry_attempts_by_hour.sql). */
export interface AttemptHourRow {
  hour: number;
  feature: string | null;
  model: string;
  attempt: number;
  calls: number;
  spend_usd: number;
}

export async function attemptHourRows(context: DetectContext, from: string, to: string): Promise<AttemptHourRow[]> {
  const rows = await context.reader.rows('detect/retry_attempts_by_hour.sql', { from, to });
  return rows.map((r) => ({
    hour: Date.parse(String(r.hour)),
    feature: text(r.feature),
    model: String(r.model),
    attempt: num(r.attempt),
    calls: num(r.calls),
    spend_usd: num(r.spend_usd),
  }));
}

/** One day and feature: cache hit parts and prefix churn (sql/detect/prefix_hashes_by_day.sql). */
export interface PrefixDayRow {
  day: string;
  feature: string;
  calls: number;
  input_tokens: number;
  cached_input_tokens: number;
  prefix_hashes: number;
  new_prefix_hashes: number;
}

export async function prefixDayRows(context: DetectContext, from: string, to: string): Promise<PrefixDayRow[]> {
  const rows = await context.reader.rows('detect/prefix_hashes_by_day.sql', { from, to });
  return rows.map((r) => ({
    day: String(r.day),
    feature: String(r.feature),
    calls: num(r.calls),
    input_tokens: num(r.input_tokens),
    cached_input_tokens: num(r.cached_input_tokens),
    prefix_hashes: num(r.prefix_hashes),
    new_prefix_hashes: num(r.new_prefix_hashes),
  }));
}

/** One day, dimension and value of one feature's spend (sql/detect/spend_by_slice.sql). */
export interface SliceDayRow {
  day: string;
  dimension: 'model' | 'segment' | 'prompt_id' | 'customer_id';
  value: string | null;
  spend_usd: number;
}

export async function sliceDayRows(context: DetectContext, feature: string | null, days: string[], from: string, to: string): Promise<SliceDayRow[]> {
  const rows = await context.reader.rows('detect/spend_by_slice.sql', { feature: feature ?? '', days, from, to }, feature === null ? {} : { feature });
  return rows.map((r: Row) => ({
    day: String(r.day),
    dimension: String(r.dimension) as SliceDayRow['dimension'],
    value: text(r.value),
    spend_usd: num(r.spend_usd),
  }));
}

/** One day and feature with succeeded outcomes (sql/detect/outcomes_by_day.sql). */
export interface OutcomeDayRow {
  day: string;
  feature: string | null;
  outcomes: number;
}

export async function outcomeDayRows(context: DetectContext, from: string, to: string): Promise<OutcomeDayRow[]> {
  const rows = await context.reader.rows('detect/outcomes_by_day.sql', { from, to });
  return rows.map((r) => ({ day: String(r.day), feature: text(r.feature), outcomes: num(r.outcomes) }));
}
