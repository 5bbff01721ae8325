-- Rendered from sql/views/chargeback_by_month_and_segment.sql by functions/dashboard/views.ts, with @as_of as current_date().
-- Grain: one row per month (its first day) and segment (null: the unattributed line, calls and outcomes with no
-- segment) over the thirteen months up to @as_of: the monthly bill per segment, as `ai-finops report chargeback`
-- prints it. Outcomes are counted as that report counts them: a feature whose rolled-up unit in the month is
-- outcomes counts its succeeded outcomes, on their own day and segment; every other feature, and the calls with
-- no feature, count their ok calls. In BigQuery @as_of is current_date().
with outcome_features as (
    select distinct
        date_trunc(day, month) as month,
        feature
    from `${project}.${dataset}.cost_per_outcome_by_day`
    where day >= date_trunc(date_add(date_trunc(cast(current_date() as date), month), interval -365 day), month)
      and day < cast(current_date() as date)
      and unit = 'outcomes'
),

calls as (
    select
        date_trunc(day, month) as month,
        segment, feature,
        spend_usd, unpriced_calls,
        calls, requests, ok_requests,
        input_tokens + output_tokens as tokens
    from `${project}.${dataset}.calls_by_day`
    where day >= date_trunc(date_add(date_trunc(cast(current_date() as date), month), interval -365 day), month)
      and day < cast(current_date() as date)
),

outcomes as (
    select date_trunc(day, month) as month, segment, feature, outcomes
    from `${project}.${dataset}.outcomes_by_day`
    where day >= date_trunc(date_add(date_trunc(cast(current_date() as date), month), interval -365 day), month)
      and day < cast(current_date() as date)
),

-- Each call's figures, and each counted outcome, as one row apiece; added up per segment below.
parts as (
    select
        calls.month,
        calls.segment,
        calls.calls,
        calls.requests,
        calls.tokens,
        calls.spend_usd,
        calls.unpriced_calls,
        case when outcome_features.feature is null then calls.ok_requests else 0 end as outcomes
    from calls
    left join outcome_features
        on outcome_features.month = calls.month
        and outcome_features.feature = calls.feature
    union all
    select
        outcomes.month,
        outcomes.segment,
        0,
        0,
        0,
        cast(0 as numeric),
        0,
        outcomes.outcomes
    from outcomes
    inner join outcome_features
        on outcome_features.month = outcomes.month
        and outcome_features.feature = outcomes.feature
),

final as (
    select
        month,
        segment,
        cast(sum(spend_usd) as numeric) as spend_usd,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(tokens) as tokens,
        sum(outcomes) as outcomes,
        cast(safe_divide(sum(spend_usd), sum(outcomes)) as numeric) as cost_per_outcome_usd,
        sum(unpriced_calls) as unpriced_calls,
        safe_divide(cast(sum(spend_usd) as float64), sum(sum(spend_usd)) over (partition by month)) as month_spend_share
    from parts
    group by month, segment
)

select * from final
