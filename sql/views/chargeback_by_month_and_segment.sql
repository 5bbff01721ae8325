-- Grain: one row per month (its first day) and segment (null: the unattributed line, calls and outcomes with no
-- segment) over the thirteen months up to @as_of: the monthly bill per segment, as `ai-finops report chargeback`
-- prints it. Outcomes are counted as that report counts them: a feature whose rolled-up unit in the month is
-- outcomes counts its succeeded outcomes, on their own day and segment; every other feature, and the calls with
-- no feature, count their ok calls. In BigQuery @as_of is current_date().
with outcome_features as (
    select distinct
        {{ month(day) }} as month,
        feature
    from {{ table(cost_per_outcome_by_day) }}
    where day >= {{ month({{ add_days({{ month(cast(@as_of as date)) }}, -365) }}) }}
      and day < cast(@as_of as date)
      and unit = 'outcomes'
),

calls as (
    select
        {{ month(day) }} as month,
        segment, feature,
        spend_usd, unpriced_calls,
        calls, requests, ok_requests,
        input_tokens + output_tokens as tokens
    from {{ table(calls_by_day) }}
    where day >= {{ month({{ add_days({{ month(cast(@as_of as date)) }}, -365) }}) }}
      and day < cast(@as_of as date)
),

outcomes as (
    select {{ month(day) }} as month, segment, feature, outcomes
    from {{ table(outcomes_by_day) }}
    where day >= {{ month({{ add_days({{ month(cast(@as_of as date)) }}, -365) }}) }}
      and day < cast(@as_of as date)
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
        {{ money(0) }},
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
        {{ money(sum(spend_usd)) }} as spend_usd,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(tokens) as tokens,
        sum(outcomes) as outcomes,
        {{ money({{ safe_divide(sum(spend_usd), sum(outcomes)) }}) }} as cost_per_outcome_usd,
        sum(unpriced_calls) as unpriced_calls,
        {{ safe_divide({{ float(sum(spend_usd)) }}, sum(sum(spend_usd)) over (partition by month)) }} as month_spend_share
    from parts
    group by month, segment
)

select * from final
