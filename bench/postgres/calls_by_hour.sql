-- The hourly sums every detector reads, written the PostgreSQL way: the same grain and columns as
-- sql/rollup/calls_by_hour.sql (one row per UTC hour, feature, prompt_id, provider and model) for the calls in
-- [$1, $2). The server's time zone is UTC (postgresql.conf), so date_trunc cuts UTC hours.
select
    date_trunc('hour', ts) as hour,
    feature,
    prompt_id,
    provider,
    model,
    count(*) as calls,
    count(*) filter (where attempt = 1) as requests,
    count(*) filter (where status = 'ok') as ok_requests,
    count(*) filter (where attempt = 2) as retried_requests,
    count(*) filter (where attempt > 1) as retry_calls,
    count(*) filter (where status <> 'ok') as failed_calls,
    coalesce(sum(cost_usd), 0) as spend_usd,
    coalesce(sum(cost_usd) filter (where attempt > 1), 0) as retry_spend_usd,
    coalesce(sum(cost_usd) filter (where segment is null), 0) as no_segment_spend_usd,
    count(*) filter (where cost_usd is null) as unpriced_calls,
    coalesce(sum(input_tokens + output_tokens) filter (where cost_usd is null), 0) as unpriced_tokens,
    coalesce(sum(input_tokens + output_tokens) filter (where cost_usd is not null), 0) as priced_tokens,
    sum(input_tokens) as input_tokens,
    sum(cached_input_tokens) as cached_input_tokens,
    sum(cache_write_input_tokens) as cache_write_input_tokens,
    sum(output_tokens) as output_tokens,
    coalesce(sum(input_tokens) filter (where status = 'ok'), 0) as ok_input_tokens,
    coalesce(sum(cached_input_tokens) filter (where status = 'ok'), 0) as ok_cached_input_tokens,
    coalesce(sum(output_tokens) filter (where status = 'ok'), 0) as ok_output_tokens,
    coalesce(sum(cost_usd) filter (where status = 'ok'), 0) as ok_spend_usd,
    coalesce(sum(quality), 0) as quality_sum,
    coalesce(sum(quality * quality), 0) as quality_sq_sum,
    count(quality) as quality_n
from llm_calls
where ts >= $1 and ts < $2
group by 1, 2, 3, 4, 5
