-- Grain: one row per day, feature, segment, provider and model, for the days in [@from, @to).
-- A logical request is the row with attempt = 1; it succeeds once, in its ok attempt, so ok attempts count the
-- successful requests without a count(distinct request_id).
with calls as (
    select *
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
),

final as (
    select
        {{ day(ts) }} as day,
        feature,
        segment,
        provider,
        model,
        count(*) as calls,
        countif(attempt = 1) as requests,
        countif(status = 'ok') as ok_requests,
        countif(attempt > 1) as retry_calls,
        countif(status <> 'ok') as failed_calls,
        coalesce(sum(cost_usd), 0) as spend_usd,
        coalesce(sum(case when attempt > 1 then cost_usd end), 0) as retry_spend_usd,
        countif(cost_usd is null) as unpriced_calls,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_input_tokens) as cache_write_input_tokens,
        sum(output_tokens) as output_tokens,
        coalesce(sum(case when cost_usd is null then input_tokens + output_tokens end), 0) as unpriced_tokens,
        coalesce(sum(latency_ms), 0) as latency_ms_sum,
        count(latency_ms) as latency_n,
        coalesce(sum(quality), 0) as quality_sum,
        count(quality) as quality_n
    from calls
    group by day, feature, segment, provider, model
)

select * from final
