-- Grain: one row per month (its first day) and feature (null: the calls with no feature) with the month's spend,
-- over the whole months in [@from, @to), from the daily rollup.
with days as (
    select
        {{ month(day) }} as month,
        feature,
        spend_usd
    from {{ table(cost_per_outcome_by_day) }}
    where day >= cast(@from as date)
      and day < cast(@to as date)
),

final as (
    select
        month,
        feature,
        sum(spend_usd) as spend_usd
    from days
    group by month, feature
)

select * from final
order by month, feature is null, feature
