-- Grain: one row per day, feature, prompt_id, provider and model that had calls, in [@from, @to): the hours of
-- calls_by_hour summed per day, the read the day-grained detectors share (prompt_drift, model_switch_without_eval,
-- premium_model_default, no_fallback_model, cache_regression, unattributed_spend, unpriced_spend, budget_overrun)
-- and the routing advice. Summed here rather than in the detectors: a day row stands for about 24 hour rows, and
-- bringing rows into JavaScript costs more than summing them.
with hours as (
    select *
    from {{ table(calls_by_hour) }}
    where hour >= cast(@from as timestamp)
      and hour < cast(@to as timestamp)
),

final as (
    select
        {{ day(hour) }} as day,
        feature,
        prompt_id,
        provider,
        model,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(ok_requests) as ok_requests,
        sum(retried_requests) as retried_requests,
        sum(retry_calls) as retry_calls,
        sum(failed_calls) as failed_calls,
        sum(spend_usd) as spend_usd,
        sum(retry_spend_usd) as retry_spend_usd,
        sum(no_segment_spend_usd) as no_segment_spend_usd,
        sum(unpriced_calls) as unpriced_calls,
        sum(unpriced_tokens) as unpriced_tokens,
        sum(priced_tokens) as priced_tokens,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_input_tokens) as cache_write_input_tokens,
        sum(output_tokens) as output_tokens,
        sum(ok_input_tokens) as ok_input_tokens,
        sum(ok_cached_input_tokens) as ok_cached_input_tokens,
        sum(ok_output_tokens) as ok_output_tokens,
        sum(ok_spend_usd) as ok_spend_usd,
        sum(quality_sum) as quality_sum,
        sum(quality_sq_sum) as quality_sq_sum,
        sum(quality_n) as quality_n
    from hours
    group by day, feature, prompt_id, provider, model
)

select * from final
