-- Grain: one row per feature (null: the calls with no feature) for the month [@month_start, @month_end).
-- The week-over-week trend compares the month's last 7 rolled-up days with the 7 before them (which may reach
-- into the previous month), so a month in progress compares its latest week.
with last_day as (
    select max(day) as day
    from {{ table(cost_per_outcome_by_day) }}
    where day >= cast(@month_start as date)
      and day < cast(@month_end as date)
),

days as (
    select
        daily.*,
        daily.day >= cast(@month_start as date) as in_month,
        daily.day > {{ add_days(last_day.day, -7) }} as in_this_week,
        daily.day <= {{ add_days(last_day.day, -7) }} and daily.day > {{ add_days(last_day.day, -14) }} as in_last_week
    from {{ table(cost_per_outcome_by_day) }} as daily
    cross join last_day
    where daily.day >= {{ add_days(cast(@month_start as date), -14) }}
      and daily.day < cast(@month_end as date)
),

per_feature as (
    select
        feature,
        max(unit) as unit,
        sum(case when in_month then spend_usd else 0 end) as spend_usd,
        sum(case when in_month then retry_spend_usd else 0 end) as retry_spend_usd,
        sum(case when in_month then unattributed_spend_usd else 0 end) as unattributed_spend_usd,
        sum(case when in_month then calls else 0 end) as calls,
        sum(case when in_month then requests else 0 end) as requests,
        sum(case when in_month then outcomes else 0 end) as outcomes,
        sum(case when in_month then outcome_value_usd else 0 end) as outcome_value_usd,
        sum(case when in_month then input_tokens else 0 end) as input_tokens,
        sum(case when in_month then cached_input_tokens else 0 end) as cached_input_tokens,
        sum(case when in_month then output_tokens else 0 end) as output_tokens,
        sum(case when in_month then unpriced_calls else 0 end) as unpriced_calls,
        sum(case when in_this_week then spend_usd else 0 end) as spend_this_week_usd,
        sum(case when in_last_week then spend_usd else 0 end) as spend_last_week_usd,
        sum(case when in_this_week then outcomes else 0 end) as outcomes_this_week,
        sum(case when in_last_week then outcomes else 0 end) as outcomes_last_week
    from days
    group by feature
    having countif(in_month) > 0
),

final as (
    select
        feature,
        unit,
        spend_usd,
        calls,
        requests,
        outcomes,
        {{ money({{ safe_divide(spend_usd, outcomes) }}) }} as cost_per_outcome_usd,
        outcome_value_usd,
        retry_spend_usd,
        unattributed_spend_usd,
        input_tokens,
        cached_input_tokens,
        output_tokens,
        {{ safe_divide({{ float(cached_input_tokens) }}, input_tokens) }} as cache_hit_rate,
        unpriced_calls,
        spend_this_week_usd,
        spend_last_week_usd,
        {{ safe_divide({{ float(spend_this_week_usd) }}, spend_last_week_usd) }} - 1 as spend_wow_change,
        {{ safe_divide(
            {{ float({{ safe_divide(spend_this_week_usd, outcomes_this_week) }}) }},
            {{ safe_divide(spend_last_week_usd, outcomes_last_week) }}
        ) }} - 1 as cost_per_outcome_wow_change
    from per_feature
)

select * from final
order by feature is null, spend_usd desc, feature
