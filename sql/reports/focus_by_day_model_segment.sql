-- Grain: one row per day, provider, model, segment and feature over the month [@month_start, @month_end): the
-- FOCUS export's charges (one per day, model and segment, split by feature so that each row's Tags are exact).
with calls as (
    select *
    from {{ table(calls_by_day) }}
    where day >= cast(@month_start as date)
      and day < cast(@month_end as date)
),

final as (
    select
        day,
        provider,
        model,
        segment,
        feature,
        sum(calls) as calls,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_input_tokens) as cache_write_input_tokens,
        sum(output_tokens) as output_tokens,
        {{ money(sum(spend_usd)) }} as spend_usd
    from calls
    group by day, provider, model, segment, feature
)

select * from final
order by day, provider, model, segment, feature
