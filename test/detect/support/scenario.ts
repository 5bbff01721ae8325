import type { DuckDBEngine } from '../../../functions/engine/duckdb.js';
import { addDays } from '../../../functions/time/days.js';
import { ndjson, tempFolder } from '../../support/tmp.js';

/**
 * Synthetic ledgers for the detector tests: streams of calls with weekly seasonality, a diurnal profile, growth and
 * noise, into which a test injects one problem (an Effect) from a known day or hour. A plan of one row per hour and
 * stream is made here (small: 120 days x 24 hours x a few streams), and DuckDB expands it into one row per attempt
 * straight into llm_calls, so a 120-day ledger of half a million calls takes about a second.
 */

/** One stream of traffic: a feature's calls on one model and prompt. */
export interface Stream {
  feature: string | null;
  segment?: string | null;
  customer?: string | null;
  provider: string;
  model: string;
  prompt_id?: string;
  prefix?: string;
  /** Logical requests on a weekday at the end of the window (before noise). */
  perDay: number;
  inputTokens: number;
  outputTokens: number;
  /** Share of input tokens read from the cache. */
  cacheHit?: number;
  /** Chance that a try fails and is retried (geometric), up to maxAttempts tries. */
  failureRate?: number;
  maxAttempts?: number;
  /** Mean quality score of ok calls, and the share of them scored. */
  quality?: number | null;
  qualityRate?: number;
  /** false: no price (cost_usd null), as for a model no catalog knows. */
  priced?: boolean;
}

/** One hour of one stream, as the expansion SQL reads it. */
export interface PlanRow {
  hour_ts: string;
  stream: number;
  feature: string | null;
  segment: string | null;
  customer_id: string | null;
  provider: string;
  model: string;
  prompt_id: string | null;
  prompt_prefix_hash: string | null;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_hit: number;
  failure_rate: number;
  max_attempts: number;
  quality_mean: number | null;
  quality_rate: number;
  priced: boolean;
}

/** Where an effect applies: the row's day, hour and distance from the window's end. */
export interface At {
  day: string;
  hour: number;
  /** 1 on the window's last day (E-1), as the demo's comments count. */
  daysBeforeEnd: number;
  stream: Stream;
}

/** Changes an hour of a stream: returns the row changed, several rows (a split), or [] (nothing logged). */
export type Effect = (row: PlanRow, at: At) => PlanRow | PlanRow[];

export interface Scenario {
  /** The as-of day: the window is the `days` days before it. */
  end: string;
  days: number;
  seed: number;
  streams: Stream[];
  weekendFactor?: number;
  /** Daily growth of the volume (0.003: 0.3% a day). */
  growthPerDay?: number;
  /** Log-normal noise of each stream's day and hour. */
  dayNoise?: number;
  hourNoise?: number;
  effects?: Effect[];
}

/** Prices of the test models, USD per million tokens (input, cached input, output). */
const prices: Record<string, [number, number, number]> = {
  'gpt-4o-mini': [0.15, 0.075, 0.6],
  'gpt-4o': [2.5, 1.25, 10],
  'claude-sonnet-4-20250514': [3, 0.3, 15],
  'claude-3-5-haiku-latest': [0.8, 0.08, 4],
  'claude-opus-4-20250514': [15, 1.5, 75],
  'gemini-2.5-flash': [0.3, 0.075, 2.5],
};

/** A seeded uniform PRNG (mulberry32): the same seed makes the same ledger. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The diurnal profile: mean 1 over the day, peaking at 15:00 UTC with a night floor, as the demo's. */
const diurnal = (() => {
  const weights = Array.from({ length: 24 }, (_, h) => 0.25 + Math.exp(-((h - 15) ** 2) / 20));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (w * 24) / sum);
})();

/** The plan of a scenario: one row per hour and stream (effects applied). */
export function plan(scenario: Scenario): PlanRow[] {
  const random = prng(scenario.seed);
  const weekend = scenario.weekendFactor ?? 0.5;
  const growth = scenario.growthPerDay ?? 0.003;
  const dayNoise = scenario.dayNoise ?? 0.08;
  const hourNoise = scenario.hourNoise ?? 0.15;
  const rows: PlanRow[] = [];
  for (let d = 0; d < scenario.days; d++) {
    const day = addDays(scenario.end, d - scenario.days);
    const weekday = new Date(day + 'T00:00:00Z').getUTCDay();
    const isWeekend = weekday === 0 || weekday === 6;
    scenario.streams.forEach((stream, s) => {
      const level = stream.perDay * Math.exp(growth * (d + 1 - scenario.days)) * (isWeekend ? weekend : 1) * Math.exp(dayNoise * normal(random));
      for (let hour = 0; hour < 24; hour++) {
        const expected = (level * diurnal[hour]! * Math.exp(hourNoise * normal(random) - hourNoise ** 2 / 2)) / 24;
        const base: PlanRow = {
          hour_ts: `${day}T${String(hour).padStart(2, '0')}:00:00Z`,
          stream: s,
          feature: stream.feature,
          segment: stream.segment === undefined ? 'pro' : stream.segment,
          customer_id: stream.customer === undefined ? 'cus_0001' : stream.customer,
          provider: stream.provider,
          model: stream.model,
          prompt_id: stream.prompt_id ?? `${stream.feature ?? 'none'}@v1`,
          prompt_prefix_hash: stream.prefix ?? `${stream.feature ?? 'none'}-prefix`,
          requests: Math.floor(expected + random()),
          input_tokens: stream.inputTokens,
          output_tokens: stream.outputTokens,
          cache_hit: stream.cacheHit ?? 0,
          failure_rate: stream.failureRate ?? 0.01,
          max_attempts: stream.maxAttempts ?? 3,
          quality_mean: stream.quality ?? null,
          quality_rate: stream.qualityRate ?? 0.3,
          priced: stream.priced ?? true,
        };
        let out: PlanRow[] = [base];
        const at: At = { day, hour, daysBeforeEnd: scenario.days - d, stream };
        for (const effect of scenario.effects ?? []) out = out.flatMap((row) => effect(row, at));
        rows.push(...out);
      }
    });
  }
  return rows;
}

/** Loads a scenario's calls into llm_calls (priced by the test's own price table) and returns how many. */
export async function loadScenario(engine: DuckDBEngine, scenario: Scenario): Promise<number> {
  const rows = plan(scenario).map((row, plan_id) => {
    const [input, cached, output] = prices[row.model] ?? [0, 0, 0];
    return { ...row, plan_id, usd_in: input, usd_cached: cached, usd_out: output, priced: row.priced && row.model in prices };
  });
  const folder = tempFolder();
  try {
    const file = folder.file('plan.ndjson', ndjson(rows));
    const before = Number((await engine.exec('select count(*) as n from llm_calls'))[0]!.n);
    await engine.exec(expansion(file), { seed: scenario.seed });
    // what a load records too: the days it touched, which the jobs that keep rollups recompute
    await engine.exec(
      `insert into pending_days select distinct 'llm_calls', cast(ts as date), 'scenario', current_timestamp from llm_calls`,
    );
    const after = Number((await engine.exec('select count(*) as n from llm_calls'))[0]!.n);
    return after - before;
  } finally {
    folder.remove();
  }
}

/** The DuckDB SQL that expands the plan into attempts: failures are geometric in the failure rate. */
function expansion(file: string): string {
  return `
insert into llm_calls (ts, call_id, request_id, attempt, feature, segment, customer_id, provider, model, prompt_id,
  prompt_prefix_hash, input_tokens, cached_input_tokens, cache_write_input_tokens, output_tokens, latency_ms, status,
  quality, outcome_id, cost_usd, cost_source, source_shape, load_id, loaded_at)
with plan as (
    select * from read_json('${file.replaceAll("'", "''")}', columns = {
        hour_ts: 'varchar', plan_id: 'bigint', stream: 'integer', feature: 'varchar', segment: 'varchar',
        customer_id: 'varchar', provider: 'varchar', model: 'varchar', prompt_id: 'varchar',
        prompt_prefix_hash: 'varchar', requests: 'integer', input_tokens: 'double', output_tokens: 'double',
        cache_hit: 'double', failure_rate: 'double', max_attempts: 'integer', quality_mean: 'double',
        quality_rate: 'double', priced: 'boolean', usd_in: 'double', usd_cached: 'double', usd_out: 'double'})
),
requests as (
    select *, unnest(range(requests)) as i from plan where requests > 0
),
draws as (
    select
        *,
        (hash($seed, plan_id, i, 1) % 1000003 + 1) / 1000004.0 as u_fail,
        (hash($seed, plan_id, i, 2) % 1000003) / 1000003.0 as u_minute,
        (hash($seed, plan_id, i, 3) % 1000003) / 1000003.0 as u_tokens,
        (hash($seed, plan_id, i, 4) % 1000003) / 1000003.0 as u_quality,
        (hash($seed, plan_id, i, 5) % 1000003) / 1000003.0 as u_scored
    from requests
),
sized as (
    select
        *,
        case when failure_rate <= 0 then 0 else cast(floor(ln(u_fail) / ln(failure_rate)) as integer) end as failures,
        cast(round(input_tokens * (0.7 + 0.6 * u_tokens)) as bigint) as in_tokens,
        cast(round(output_tokens * (0.7 + 0.6 * u_tokens)) as bigint) as out_tokens
    from draws
),
attempts as (
    select *, unnest(range(least(failures + 1, max_attempts))) as a from sized
),
final as (
    select
        cast(hour_ts as timestamp) + to_milliseconds(cast(floor(u_minute * 3000000) + a * 20000 as bigint)) as ts,
        'c_' || plan_id || '_' || i || '_' || (a + 1) as call_id,
        'r_' || plan_id || '_' || i as request_id,
        a + 1 as attempt,
        feature, segment, customer_id, provider, model, prompt_id, prompt_prefix_hash,
        in_tokens as input_tokens,
        cast(floor(in_tokens * cache_hit) as bigint) as cached_input_tokens,
        0 as cache_write_input_tokens,
        case when a >= failures then out_tokens else 0 end as output_tokens,
        500 as latency_ms,
        case when a >= failures then 'ok' else 'error' end as status,
        case when a >= failures and quality_mean is not null and u_scored < quality_rate
            then least(1, greatest(0, quality_mean + (u_quality - 0.5) * 0.2)) end as quality,
        null as outcome_id,
        case when priced then cast((
            (in_tokens - floor(in_tokens * cache_hit)) * usd_in
            + floor(in_tokens * cache_hit) * usd_cached
            + (case when a >= failures then out_tokens else 0 end) * usd_out
        ) / 1e6 as decimal(38, 9)) end as cost_usd,
        case when priced then 'given' else 'unpriced' end as cost_source,
        'test' as source_shape,
        'test' as load_id,
        current_timestamp as loaded_at
    from attempts
)
select * from final`;
}

// ---- effects: each injects one problem from a known day (E-n, counted as the demo counts) or hour ----

/** Only for the stream(s) of a feature, from `daysBeforeEnd` = n on (E-n), and in hours [fromHour, toHour). */
export function when(
  feature: string,
  from: number,
  change: (row: PlanRow, at: At) => PlanRow | PlanRow[],
  { until = 0, fromHour = 0, toHour = 24 }: { until?: number; fromHour?: number; toHour?: number } = {},
): Effect {
  return (row, at) =>
    row.feature === feature && at.daysBeforeEnd <= from && at.daysBeforeEnd > until && at.hour >= fromHour && at.hour < toHour ? change(row, at) : row;
}
