-- The daily rollup, written the PostgreSQL way: the same grain and columns as sql/rollup/calls_by_day.sql (one
-- row per UTC day, feature, segment, provider and model) for the calls in [$1, $2).
select
    (ts at time zone 'UTC')::date as day,
    feature,
    segment,
    provider,
    model,
    count(*) as calls,
    count(*) filter (where attempt = 1) as requests,
    count(*) filter (where status = 'ok') as ok_requests,
    count(*) filter (where attempt > 1) as retry_calls,
    count(*) filter (where status <> 'ok') as failed_calls,
    coalesce(sum(cost_usd), 0) as spend_usd,
    coalesce(sum(cost_usd) filter (where attempt > 1), 0) as retry_spend_usd,
    count(*) filter (where cost_usd is null) as unpriced_calls,
    sum(input_tokens) as input_tokens,
    sum(cached_input_tokens) as cached_input_tokens,
    sum(cache_write_input_tokens) as cache_write_input_tokens,
    sum(output_tokens) as output_tokens,
    coalesce(sum(input_tokens + output_tokens) filter (where cost_usd is null), 0) as unpriced_tokens,
    coalesce(sum(latency_ms), 0) as latency_ms_sum,
    count(latency_ms) as latency_n,
    coalesce(sum(quality), 0) as quality_sum,
    count(quality) as quality_n
from llm_calls
where ts >= $1 and ts < $2
group by 1, 2, 3, 4, 5
