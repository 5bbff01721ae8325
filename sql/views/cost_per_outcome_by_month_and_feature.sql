-- Grain: one row per month (its first day) and feature (null: the calls with no feature) over the thirteen months
-- up to @as_of: the twelve before the month of @as_of, and that month up to the day before @as_of. A view for
-- Looker Studio: in BigQuery @as_of is current_date() (functions/dashboard/views.ts renders it so).
-- The week-over-week trend compares each month's last 7 rolled-up days with the 7 before them, as the
-- cost-per-outcome report does; for a month with fewer than 14 days rolled up those reach into the month before.
with daily as (
    select
        {{ month(day) }} as month,
        day,
        feature,
        unit,
        spend_usd,
        retry_spend_usd,
        calls,
        outcomes,
        outcome_value_usd,
        input_tokens,
        cached_input_tokens
    from {{ table(cost_per_outcome_by_day) }}
    -- 365 days before a month's first day is the 1st or 2nd of the same month a year earlier: its first day
    where day >= {{ month({{ add_days({{ month(cast(@as_of as date)) }}, -365) }}) }}
      and day < cast(@as_of as date)
),

-- Each month's last rolled-up day, whichever feature it was for: a feature quiet that day still compares
-- the same two weeks as the others.
month_ends as (
    select
        month,
        max(day) as last_day
    from daily
    group by month
),

monthly as (
    select
        month,
        feature,
        max(unit) as unit,
        sum(spend_usd) as spend_usd,
        sum(calls) as calls,
        sum(outcomes) as outcomes,
        sum(outcome_value_usd) as outcome_value_usd,
        sum(retry_spend_usd) as retry_spend_usd,
        {{ safe_divide({{ float(sum(cached_input_tokens)) }}, sum(input_tokens)) }} as cache_hit_rate
    from daily
    group by month, feature
),

weeks as (
    select
        month_ends.month,
        daily.feature,
        sum(case when daily.day > {{ add_days(month_ends.last_day, -7) }} then daily.spend_usd else 0 end) as spend_this_week_usd,
        sum(case when daily.day <= {{ add_days(month_ends.last_day, -7) }} then daily.spend_usd else 0 end) as spend_last_week_usd,
        sum(case when daily.day > {{ add_days(month_ends.last_day, -7) }} then daily.outcomes else 0 end) as outcomes_this_week,
        sum(case when daily.day <= {{ add_days(month_ends.last_day, -7) }} then daily.outcomes else 0 end) as outcomes_last_week
    from month_ends
    inner join daily
        on daily.day > {{ add_days(month_ends.last_day, -14) }}
        and daily.day <= month_ends.last_day
    group by month_ends.month, daily.feature
),

final as (
    select
        monthly.month,
        monthly.feature,
        monthly.unit,
        monthly.spend_usd,
        monthly.calls,
        monthly.outcomes,
        {{ money({{ safe_divide(monthly.spend_usd, monthly.outcomes) }}) }} as cost_per_outcome_usd,
        monthly.outcome_value_usd,
        monthly.retry_spend_usd,
        monthly.cache_hit_rate,
        weeks.spend_this_week_usd,
        weeks.spend_last_week_usd,
        {{ safe_divide({{ float(weeks.spend_this_week_usd) }}, weeks.spend_last_week_usd) }} - 1 as spend_wow_change,
        {{ safe_divide(
            {{ float({{ safe_divide(weeks.spend_this_week_usd, weeks.outcomes_this_week) }}) }},
            {{ safe_divide(weeks.spend_last_week_usd, weeks.outcomes_last_week) }}
        ) }} - 1 as cost_per_outcome_wow_change
    from monthly
    left join weeks
        on weeks.month = monthly.month
        and (weeks.feature = monthly.feature or (weeks.feature is null and monthly.feature is null))
)

select * from final
