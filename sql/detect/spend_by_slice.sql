-- Grain: one row per day, dimension and value, for the calls of one feature (@feature; '' for the calls with no
-- feature) on the days @days (YYYY-MM-DD text) within [@from, @to): its spend split by model, segment, prompt_id and
-- customer_id. spend_anomaly reads it to name the slice that carries most of an anomaly's excess, the way cloud cost
-- anomaly detection names a root cause: the anomaly's days and the same weekdays of the 4 weeks before them.
with calls as (
    select ts, model, segment, prompt_id, customer_id, cost_usd
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      and coalesce(feature, '') = @feature
      and {{ in_list(cast({{ day(ts) }} as string), @days) }}
),

by_model as (
    select {{ day(ts) }} as day, 'model' as dimension, model as value, coalesce(sum(cost_usd), 0) as spend_usd
    from calls
    group by day, value
),

by_segment as (
    select {{ day(ts) }} as day, 'segment' as dimension, segment as value, coalesce(sum(cost_usd), 0) as spend_usd
    from calls
    group by day, value
),

by_prompt as (
    select {{ day(ts) }} as day, 'prompt_id' as dimension, prompt_id as value, coalesce(sum(cost_usd), 0) as spend_usd
    from calls
    group by day, value
),

by_customer as (
    select {{ day(ts) }} as day, 'customer_id' as dimension, customer_id as value, coalesce(sum(cost_usd), 0) as spend_usd
    from calls
    group by day, value
),

final as (
    select * from by_model
    union all
    select * from by_segment
    union all
    select * from by_prompt
    union all
    select * from by_customer
)

select * from final
