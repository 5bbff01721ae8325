import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWorkload, workloadFormats, type WorkloadFormat, type WorkloadOptions } from '../../functions/demo/workload.js';
import { DuckDBEngine } from '../../functions/engine/duckdb.js';
import type { Row } from '../../functions/engine/engine.js';
import { tempFolder } from '../support/tmp.js';

const folder = tempFolder();
let engine: DuckDBEngine;
let runs = 0;

beforeAll(async () => {
  engine = await DuckDBEngine.open();
});
afterAll(async () => {
  await engine.close();
  folder.remove();
});

/** A small workload by default; each call writes into a folder of its own. */
function write(options: Partial<WorkloadOptions> = {}) {
  return writeWorkload(engine, {
    dir: join(folder.dir, `run-${++runs}`),
    days: 14,
    endDate: '2026-03-01',
    seed: 7,
    scale: 0.2,
    format: 'parquet',
    ...options,
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const readers: Record<WorkloadFormat, (file: string) => string> = {
  ndjson: (file) => `read_json('${file}', format = 'newline_delimited')`,
  csv: (file) => `read_csv('${file}', header = true)`,
  parquet: (file) => `read_parquet('${file}')`,
};

async function one(sql: string): Promise<Row> {
  const rows = await engine.exec(sql);
  return rows[0]!;
}

describe('the demo workload', () => {
  it.each(workloadFormats)('writes the same bytes for the same seed, as %s', async (format) => {
    const [first, second] = [await write({ format }), await write({ format })];
    expect(sha256(second.callsFile)).toBe(sha256(first.callsFile));
    expect(sha256(second.outcomesFile)).toBe(sha256(first.outcomesFile));
  });

  it('writes the same bytes whatever the number of threads, and leaves the thread setting as it found it', async () => {
    await engine.exec('set threads = 1');
    const single = await write({ days: 90, scale: 1 });
    await engine.exec('set threads = 4');
    const four = await write({ days: 90, scale: 1 });
    const settingsAfter = await one(`select current_setting('threads') as threads`);
    await engine.exec('reset threads');
    expect(settingsAfter).toEqual({ threads: 4 });
    expect(sha256(four.callsFile)).toBe(sha256(single.callsFile));
    expect(sha256(four.outcomesFile)).toBe(sha256(single.outcomesFile));
  });

  it('writes other calls for another seed', async () => {
    const [seven, eight] = [await write({ seed: 7 }), await write({ seed: 8 })];
    expect(sha256(eight.callsFile)).not.toBe(sha256(seven.callsFile));
  });

  it('writes the same rows, in another order, when it need not keep the order', async () => {
    const [ordered, unordered] = [await write({ scale: 1 }), await write({ scale: 1, ordered: false })];
    const content = (file: string) =>
      one(`select count(*) as n, bit_xor(hash(c)) as h from read_parquet('${file}') as c`);
    expect(await content(unordered.callsFile)).toEqual(await content(ordered.callsFile));
  });

  it.each(workloadFormats)('reads back as %s with every row it says it wrote', async (format) => {
    const files = await write({ format });
    const calls = await one(`select count(*) as n from ${readers[format](files.callsFile)}`);
    const outcomes = await one(`select count(*) as n from ${readers[format](files.outcomesFile)}`);
    expect(files.calls).toBeGreaterThan(5_000);
    expect(calls['n']).toBe(files.calls);
    expect(outcomes['n']).toBe(files.outcomes);
  });

  it('writes the same rows in every format', async () => {
    const counts = await Promise.all(workloadFormats.map((format) => write({ format })));
    expect(new Set(counts.map((files) => `${files.calls}/${files.outcomes}`)).size).toBe(1);
  });

  it("writes exactly the contract's fields, without cost_usd", async () => {
    const files = await write({ format: 'ndjson' });
    const [firstCall] = readFileSync(files.callsFile, 'utf8').split('\n', 1);
    const [firstOutcome] = readFileSync(files.outcomesFile, 'utf8').split('\n', 1);
    expect(Object.keys(JSON.parse(firstCall!))).toEqual([
      'ts', 'call_id', 'request_id', 'attempt', 'feature', 'segment', 'customer_id', 'provider', 'model', 'prompt_id',
      'prompt_prefix_hash', 'input_tokens', 'cached_input_tokens', 'cache_write_input_tokens', 'output_tokens',
      'latency_ms', 'status', 'quality', 'outcome_id',
    ]);
    expect(Object.keys(JSON.parse(firstOutcome!))).toEqual(['ts', 'outcome_id', 'feature', 'segment', 'succeeded', 'value_usd']);
    expect(JSON.parse(firstCall!).ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('keeps every call inside the window, with its own call_id, and retries sharing their request_id', async () => {
    const files = await write({ scale: 1 });
    const row = await one(`
      select count(*) as calls, count(distinct call_id) as call_ids, min(ts) as first, max(ts) as last,
             count(*) filter (where attempt > 1) as retries,
             count(*) filter (where not regexp_full_match(customer_id, 'cus_[0-9]{4}')) as bad_customer_ids,
             count(*) filter (where attempt > 1 and request_id not in (
               select request_id from read_parquet('${files.callsFile}') where attempt = 1)) as orphan_retries
      from read_parquet('${files.callsFile}')`);
    expect(row['call_ids']).toBe(row['calls']);
    expect(String(row['first']) >= '2026-02-15T00:00:00.000Z').toBe(true);
    expect(String(row['last']) < '2026-03-01T00:00:00.000Z').toBe(true);
    expect(row['retries']).toBeGreaterThan(0);
    expect(row['bad_customer_ids']).toBe(0);
    expect(row['orphan_retries']).toBe(0);
  });

  it('gives every outcome the calls of its unit', async () => {
    const files = await write({ scale: 1 });
    const row = await one(`
      with calls as (select distinct outcome_id from read_parquet('${files.callsFile}') where outcome_id is not null),
           outcomes as (select outcome_id from read_parquet('${files.outcomesFile}'))
      select (select count(*) from outcomes anti join calls using (outcome_id)) as outcomes_without_calls,
             (select count(*) from calls anti join outcomes using (outcome_id)) as units_still_open,
             (select count(*) from outcomes) as outcomes`);
    expect(row['outcomes_without_calls']).toBe(0);
    expect(Number(row['units_still_open'])).toBeLessThan(0.01 * Number(row['outcomes']));
  });

  it('makes 250k-400k calls in 90 days at scale 1, and proportionally more at a larger scale', async () => {
    const demo = await write({ days: 90, scale: 1 });
    expect(demo.calls).toBeGreaterThan(250_000);
    expect(demo.calls).toBeLessThan(400_000);
    const [small, large] = [await write({ scale: 1 }), await write({ scale: 3 })];
    expect(large.calls / small.calls).toBeGreaterThan(2.8);
    expect(large.calls / small.calls).toBeLessThan(3.2);
  });

  it.each([
    [{ days: 0 }, /whole number of days from 1/],
    [{ days: 2.5 }, /whole number of days/],
    [{ endDate: '2026-02-30' }, /end date must be a day as YYYY-MM-DD/],
    [{ endDate: 'yesterday' }, /end date/],
    [{ seed: -1 }, /seed must be a whole number/],
    [{ scale: 0 }, /scale must be above 0/],
    [{ format: 'xml' as WorkloadFormat }, /format must be one of ndjson, csv, parquet/],
  ])('refuses %o with a sentence that names the option', async (options, message) => {
    await expect(write(options)).rejects.toThrow(message);
  });
});

describe('the problems seeded in the demo workload', () => {
  // 90 days ending on 2026-03-01 (a Sunday): E-n below is the day n days before it
  const end = '2026-03-01';
  const at = (daysBeforeEnd: number) => new Date(Date.parse(end) - daysBeforeEnd * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    const files = await write({ days: 90, endDate: end, seed: 42, scale: 1 });
    await engine.exec(`
      create or replace view demo_calls as
      select *, cast(ts as date) as day, date_diff('day', cast(ts as date), date '${end}') as days_before_end, hour(ts) as hour
      from (select * replace (cast(ts as timestamp) as ts) from read_parquet('${files.callsFile}'))`);
    await engine.exec(`
      create or replace view demo_spend as
      select demo_calls.*,
             ((input_tokens - cached_input_tokens - cache_write_input_tokens) * price.input_usd
               + cached_input_tokens * price.cached_usd + cache_write_input_tokens * price.write_usd
               + output_tokens * price.output_usd) / 1e6 as spend_usd
      from demo_calls
      left join (values
        ('claude-opus-4-20250514', 15, 1.5, 18.75, 75), ('claude-sonnet-4-20250514', 3, 0.3, 3.75, 15),
        ('claude-3-5-haiku-latest', 0.8, 0.08, 1, 4), ('gpt-4o', 2.5, 1.25, 0, 10), ('gpt-4o-mini', 0.15, 0.075, 0, 0.6),
        ('gemini-2.5-flash', 0.3, 0.03, 0, 2.5)
      ) as price(model, input_usd, cached_usd, write_usd, output_usd) using (model)`);
  });

  it('grows the summarize@v3 prompt of search_summaries from ~800 to ~2,400 tokens after E-60 (prompt_drift)', async () => {
    const row = await one(`
      select median(input_tokens) filter (where days_before_end between 84 and 90) as first_week,
             median(input_tokens) filter (where days_before_end between 61 and 67) as before_drift,
             median(input_tokens) filter (where days_before_end between 1 and 7) as last_week
      from demo_calls where feature = 'search_summaries' and prompt_id = 'summarize@v3' and status = 'ok'`);
    expect(Number(row['before_drift'])).toBeGreaterThan(700);
    expect(Number(row['before_drift'])).toBeLessThan(900);
    expect(Number(row['before_drift']) / Number(row['first_week'])).toBeCloseTo(1, 1);
    expect(Number(row['last_week'])).toBeGreaterThan(2_100);
  });

  it('churns the search_summaries prefix daily from E-10 and its cache hit rate falls (cache_regression)', async () => {
    const row = await one(`
      select count(distinct prompt_prefix_hash) filter (where days_before_end > 10) as hashes_before,
             count(distinct prompt_prefix_hash) filter (where days_before_end <= 10) as hashes_after,
             sum(cached_input_tokens) filter (where days_before_end between 11 and 20)
               / sum(input_tokens) filter (where days_before_end between 11 and 20) as hit_rate_before,
             sum(cached_input_tokens) filter (where days_before_end <= 10)
               / sum(input_tokens) filter (where days_before_end <= 10) as hit_rate_after
      from demo_calls where feature = 'search_summaries' and model = 'gemini-2.5-flash'`);
    expect(row).toMatchObject({ hashes_before: 1, hashes_after: 10 });
    expect(Number(row['hit_rate_before'])).toBeGreaterThan(0.4);
    expect(Number(row['hit_rate_after'])).toBeLessThan(0.12);
  });

  it('switches code_review from gpt-4o to gpt-4o-mini on E-30, and its quality drops (model_switch_without_eval)', async () => {
    const rows = await engine.exec(`
      select model, min(day) as first_day, max(day) as last_day, avg(quality) as quality
      from demo_calls where feature = 'code_review' group by model order by first_day`);
    expect(rows.map((r) => [r['model'], r['first_day'], r['last_day']])).toEqual([
      ['gpt-4o', at(90), at(31)],
      ['gpt-4o-mini', at(30), at(1)],
    ]);
    expect(Number(rows[0]!['quality'])).toBeGreaterThan(0.84);
    expect(Number(rows[1]!['quality'])).toBeLessThan(0.74);
  });

  it('retries gpt-4o-mini up to 5 times on E-8 from 13:00 to 17:00 UTC (retry_storm)', async () => {
    const storm = await one(`
      select count(*) filter (where in_storm) / count(distinct request_id) filter (where in_storm) as attempts_per_request,
             count(*) filter (where not in_storm) / count(distinct request_id) filter (where not in_storm) as attempts_otherwise,
             max(attempt) filter (where in_storm) as most_attempts,
             count(*) filter (where attempt > 1 and in_storm)
               / count(*) filter (where attempt > 1 and days_before_end = 8) as share_of_day
      from (select *, days_before_end = 8 and hour between 13 and 16 as in_storm from demo_calls where model = 'gpt-4o-mini')`);
    expect(Number(storm['attempts_per_request'])).toBeGreaterThan(2);
    expect(Number(storm['attempts_otherwise'])).toBeLessThan(1.05);
    expect(storm['most_attempts']).toBe(5);
    expect(Number(storm['share_of_day'])).toBeGreaterThan(0.8);
    const days = await engine.exec(`
      select day, count(*) as retries from demo_calls where attempt > 1 group by day order by retries desc`);
    expect(days[0]!['day']).toBe(at(8));
    expect(Number(days[0]!['retries'])).toBeGreaterThan(5 * Number(days[Math.floor(days.length / 2)]!['retries']));
  });

  it('runs a loop for cus_0007 on E-3 from 09:00 to 12:00 UTC: ~10x support_bot daily spend (spend_anomaly)', async () => {
    const row = await one(`
      with daily as (
        select day, sum(input_tokens + output_tokens) as tokens, sum(spend_usd) as spend_usd
        from demo_spend where feature = 'support_bot' group by day
      )
      select (select tokens from daily where day = '${at(3)}') / median(tokens) as token_ratio,
             (select spend_usd from daily where day = '${at(3)}') / median(spend_usd) as spend_ratio
      from daily`);
    expect(Number(row['token_ratio'])).toBeGreaterThan(5);
    expect(Number(row['spend_ratio'])).toBeGreaterThan(8);
    const loop = await one(`
      select min(ts) as first, max(ts) as last, count(distinct outcome_id) as conversations
      from demo_calls where customer_id = 'cus_0007' and input_tokens >= 12000 and feature = 'support_bot'`);
    expect(String(loop['first']).slice(0, 13)).toBe(`${at(3)}T09`);
    expect(String(loop['last']) < `${at(3)}T12:06`).toBe(true);
    expect(loop['conversations']).toBe(1);
  });

  it('runs doc_extraction on claude-opus-4 while haiku passes the same quality bar (premium_model_default)', async () => {
    const rows = await engine.exec(`
      select model, count(*) / sum(count(*)) over () as share, avg(quality) as quality
      from demo_calls where feature = 'doc_extraction' group by model order by share desc`);
    expect(rows.map((r) => r['model'])).toEqual(['claude-opus-4-20250514', 'claude-3-5-haiku-latest']);
    expect(Number(rows[0]!['share'])).toBeGreaterThan(0.85);
    expect(Number(rows[1]!['share'])).toBeGreaterThan(0.05);
    for (const row of rows) expect(Number(row['quality'])).toBeGreaterThan(0.85);
  });

  it('leaves ~3% of calls without a feature and ~2% more without a segment (unattributed_spend)', async () => {
    const row = await one(`
      select count(*) filter (where feature is null) / count(*) as no_feature,
             count(*) filter (where feature is null or segment is null) / count(*) as unattributed
      from demo_calls`);
    expect(Number(row['no_feature'])).toBeGreaterThan(0.02);
    expect(Number(row['no_feature'])).toBeLessThan(0.04);
    expect(Number(row['unattributed'])).toBeGreaterThan(0.03);
    expect(Number(row['unattributed'])).toBeLessThan(0.06);
  });

  it('sends a few search_summaries calls a day to acme-llm-9000, a model no catalog knows (unpriced_spend)', async () => {
    const row = await one(`
      select count(*) / 90 as per_day, count(distinct day) as days, min(provider) as provider, min(feature) as feature
      from demo_calls where model = 'acme-llm-9000'`);
    expect(Number(row['per_day'])).toBeGreaterThan(2);
    expect(Number(row['per_day'])).toBeLessThan(12);
    expect(row).toMatchObject({ provider: 'acme', feature: 'search_summaries' });
  });

  it('spends the most on support_bot and makes the most calls on search_summaries', async () => {
    const rows = await engine.exec(`
      select feature, count(*) as calls, sum(spend_usd) as spend_usd
      from demo_spend where feature is not null group by feature`);
    const most = (key: string) => rows.reduce((a, b) => (Number(b[key]) > Number(a[key]) ? b : a))['feature'];
    expect(most('spend_usd')).toBe('support_bot');
    expect(most('calls')).toBe('search_summaries');
  });

  it('has weekends at 40-60% of weekdays, cache writes on Anthropic only, quality on ~30% of successful calls', async () => {
    const row = await one(`
      with daily as (select day, dayofweek(day) in (0, 6) as weekend, count(*) as calls from demo_calls group by day)
      select (select avg(calls) from daily where weekend) / (select avg(calls) from daily where not weekend) as weekend_ratio,
             (select count(*) from demo_calls where cache_write_input_tokens > 0 and provider <> 'anthropic') as other_writes,
             (select count(quality) / count(*) from demo_calls where status = 'ok' and input_tokens < 20000) as scored`);
    expect(Number(row['weekend_ratio'])).toBeGreaterThan(0.4);
    expect(Number(row['weekend_ratio'])).toBeLessThan(0.6);
    expect(row['other_writes']).toBe(0);
    expect(Number(row['scored'])).toBeCloseTo(0.3, 1);
  });
});
