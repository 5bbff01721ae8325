-- Grain: one row per day and feature with succeeded outcomes in [@from, @to). budget_overrun divides spend by them
-- for the features whose unit of work is an outcome; outcomes count on their own day, and only when they succeeded.
with outcomes as (
    select ts, feature, succeeded
    from {{ table(outcomes) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      and succeeded
),

final as (
    select
        {{ day(ts) }} as day,
        feature,
        count(*) as outcomes
    from outcomes
    group by day, feature
)

select * from final
