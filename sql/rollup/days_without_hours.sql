-- Grain: one row per day in [@from, @to) that the calls_by_day rollup has calls for and calls_by_hour has no hour
-- of: days the hourly rollup lacks (a ledger rolled up before calls_by_hour existed), which the jobs that read the
-- hours recompute before they do.
with days_with_calls as (
    select distinct day
    from {{ table(calls_by_day) }}
    where day >= cast(@from as date)
      and day < cast(@to as date)
),

days_with_hours as (
    select distinct {{ day(hour) }} as day
    from {{ table(calls_by_hour) }}
    where hour >= cast(@from as timestamp)
      and hour < cast(@to as timestamp)
),

final as (
    select days_with_calls.day
    from days_with_calls
    left join days_with_hours on days_with_hours.day = days_with_calls.day
    where days_with_hours.day is null
)

select * from final
