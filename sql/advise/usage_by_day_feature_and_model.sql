-- Grain: one row per day, feature (null: calls with no feature), provider and model with calls, for the days in
-- [@from, @to), from the calls_by_day rollup (segments summed). The advisors' shared read: monthly spend per model
-- (commit), monthly tokens per model family (self_host), a feature's calls, token mix and volume (fine_tune) and
-- its weekly cache hit rate (caching).
with usage as (
    select
        day,
        feature,
        provider,
        model,
        calls,
        requests,
        spend_usd,
        input_tokens,
        cached_input_tokens,
        cache_write_input_tokens,
        output_tokens
    from {{ table(calls_by_day) }}
    where day >= cast(@from as date)
      and day < cast(@to as date)
),

final as (
    select
        day,
        feature,
        provider,
        model,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(spend_usd) as spend_usd,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_input_tokens) as cache_write_input_tokens,
        sum(output_tokens) as output_tokens
    from usage
    group by day, feature, provider, model
)

select * from final
order by day, feature, provider, model
