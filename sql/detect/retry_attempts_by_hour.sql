-- Grain: one row per hour, feature, model and attempt number, for the retries (attempt > 1) in [@from, @to). A
-- request that went past a retry cap of N attempts has exactly one attempt numbered N + 1, so retry_cap_exceeded
-- counts those rows per feature with the feature's own cap, and the spend of every attempt above the cap.
with retries as (
    select ts, feature, model, attempt, cost_usd
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      and attempt > 1
),

final as (
    select
        {{ hour(ts) }} as hour,
        feature,
        model,
        attempt,
        count(*) as calls,
        coalesce(sum(cost_usd), 0) as spend_usd
    from retries
    group by hour, feature, model, attempt
)

select * from final
