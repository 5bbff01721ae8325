-- Grain: one row per day, feature and segment, for the days in [@from, @to). Outcomes count on their own day,
-- and only when they succeeded.
with outcomes as (
    select *
    from {{ table(outcomes) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
),

final as (
    select
        {{ day(ts) }} as day,
        feature,
        segment,
        countif(succeeded) as outcomes,
        countif(not succeeded) as failed_outcomes,
        coalesce(sum(case when succeeded then value_usd end), 0) as value_usd
    from outcomes
    group by day, feature, segment
)

select * from final
