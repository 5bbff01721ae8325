-- Grain: one row per day and feature (null: the calls with no feature) with spend, for the days in [@from, @to).
-- The forecast job's input. Days without a row had no spend: the job fills them with zero and adds the features
-- up for the total.
with daily as (
    select
        day,
        feature,
        sum(spend_usd) as spend_usd
    from {{ table(cost_per_outcome_by_day) }}
    where day >= cast(@from as date)
      and day < cast(@to as date)
    group by day, feature
),

final as (
    select
        day,
        feature,
        spend_usd
    from daily
)

select * from final
order by feature, day
