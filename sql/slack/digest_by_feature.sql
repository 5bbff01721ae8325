-- Grain: one row per feature (null: the calls with no feature) with its spend, work and cache reads in the week
-- [@from, @to) and in the seven days before it, from the daily rollup. A feature with no rolled-up day in either
-- week has no row.
with days as (
    select
        daily.*,
        daily.day >= cast(@from as date) as in_week
    from {{ table(cost_per_outcome_by_day) }} as daily
    where daily.day >= {{ add_days(cast(@from as date), -7) }}
      and daily.day < cast(@to as date)
),

per_feature as (
    select
        feature,
        max(unit) as unit,
        sum(case when in_week then spend_usd else 0 end) as spend_usd,
        sum(case when not in_week then spend_usd else 0 end) as previous_spend_usd,
        sum(case when in_week then calls else 0 end) as calls,
        sum(case when not in_week then calls else 0 end) as previous_calls,
        sum(case when in_week then outcomes else 0 end) as outcomes,
        sum(case when not in_week then outcomes else 0 end) as previous_outcomes,
        sum(case when in_week then input_tokens else 0 end) as input_tokens,
        sum(case when not in_week then input_tokens else 0 end) as previous_input_tokens,
        sum(case when in_week then cached_input_tokens else 0 end) as cached_input_tokens,
        sum(case when not in_week then cached_input_tokens else 0 end) as previous_cached_input_tokens,
        sum(case when in_week then unpriced_calls else 0 end) as unpriced_calls
    from days
    group by feature
),

final as (
    select
        feature,
        unit,
        spend_usd,
        previous_spend_usd,
        calls,
        previous_calls,
        outcomes,
        previous_outcomes,
        {{ money({{ safe_divide(spend_usd, outcomes) }}) }} as cost_per_outcome_usd,
        {{ money({{ safe_divide(previous_spend_usd, previous_outcomes) }}) }} as previous_cost_per_outcome_usd,
        input_tokens,
        cached_input_tokens,
        previous_input_tokens,
        previous_cached_input_tokens,
        unpriced_calls
    from per_feature
)

select * from final
order by feature is null, spend_usd desc, feature
