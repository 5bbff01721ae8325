-- Grain: per owner over the month [@month_start, @month_end), a row of its calls' figures and a row of its
-- outcomes; functions/reports/chargeback.ts adds the two up. The owner is the segment or the feature, as @by says
-- ('segment' or 'feature'); null is the unattributed line (the calls and outcomes with no segment, or no feature).
-- Reads the rollups. Outcomes are counted as the cost-per-outcome report counts them: the features in
-- @outcome_features (outcome_features_by_month.sql) count their succeeded outcomes, on their own day and with their
-- own segment; every other feature, and the calls with no feature, count their ok calls.
with call_totals as (
    select
        case when @by = 'feature' then feature else segment end as owner,
        sum(calls) as calls,
        sum(requests) as requests,
        {{ money(sum(spend_usd)) }} as spend_usd,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens,
        sum(unpriced_calls) as unpriced_calls,
        sum(case when {{ in_list(feature, @outcome_features) }} then 0 else ok_requests end) as outcomes
    from {{ table(calls_by_day) }}
    where day >= cast(@month_start as date)
      and day < cast(@month_end as date)
    group by owner
),

outcome_totals as (
    select
        case when @by = 'feature' then feature else segment end as owner,
        sum(outcomes) as outcomes
    from {{ table(outcomes_by_day) }}
    where day >= cast(@month_start as date)
      and day < cast(@month_end as date)
      and {{ in_list(feature, @outcome_features) }}
    group by owner
),

final as (
    select * from call_totals
    union all
    select owner, 0, 0, {{ money(0) }}, 0, 0, 0, 0, outcomes from outcome_totals
)

select * from final
