-- Grain: one row per day and feature (null: the calls with no feature), for the days in [@from, @to).
-- Reads the two finer rollups; @outcome_features lists the features whose unit of work is an outcome, every
-- other feature's unit is a call (its ok logical requests).
with calls as (
    select
        day,
        feature,
        sum(spend_usd) as spend_usd,
        sum(retry_spend_usd) as retry_spend_usd,
        sum(case when feature is null or segment is null then spend_usd else 0 end) as unattributed_spend_usd,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(ok_requests) as ok_requests,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens,
        sum(unpriced_calls) as unpriced_calls
    from {{ table(calls_by_day) }}
    where day >= cast(@from as date)
      and day < cast(@to as date)
    group by day, feature
),

outcomes as (
    select
        day,
        feature,
        sum(outcomes) as outcomes,
        sum(value_usd) as value_usd
    from {{ table(outcomes_by_day) }}
    where day >= cast(@from as date)
      and day < cast(@to as date)
    group by day, feature
),

-- calls and outcomes side by side; a union then a group by keeps the null feature as its own group
combined as (
    select
        day, feature, spend_usd, retry_spend_usd, unattributed_spend_usd, calls, requests, ok_requests,
        input_tokens, cached_input_tokens, output_tokens, unpriced_calls,
        0 as outcomes, {{ money(0) }} as value_usd
    from calls
    union all
    select
        day, feature, {{ money(0) }}, {{ money(0) }}, {{ money(0) }}, 0, 0, 0,
        0, 0, 0, 0,
        outcomes, value_usd
    from outcomes
),

per_feature as (
    select
        day,
        feature,
        case when {{ in_list(feature, @outcome_features) }} then 'outcomes' else 'calls' end as unit,
        sum(spend_usd) as spend_usd,
        sum(retry_spend_usd) as retry_spend_usd,
        sum(unattributed_spend_usd) as unattributed_spend_usd,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(ok_requests) as ok_requests,
        sum(outcomes) as succeeded_outcomes,
        sum(value_usd) as outcome_value_usd,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens,
        sum(unpriced_calls) as unpriced_calls
    from combined
    group by day, feature
),

final as (
    select
        day,
        feature,
        unit,
        spend_usd,
        retry_spend_usd,
        unattributed_spend_usd,
        calls,
        requests,
        ok_requests,
        case when unit = 'outcomes' then succeeded_outcomes else ok_requests end as outcomes,
        outcome_value_usd,
        {{ money({{ safe_divide(spend_usd, case when unit = 'outcomes' then succeeded_outcomes else ok_requests end) }}) }}
            as cost_per_outcome_usd,
        input_tokens,
        cached_input_tokens,
        output_tokens,
        {{ safe_divide({{ float(cached_input_tokens) }}, input_tokens) }} as cache_hit_rate,
        unpriced_calls
    from per_feature
)

select * from final
