-- Grain: one row per hour and feature that had calls, in [@from, @to) (@to a day or an instant): the hours of
-- calls_by_hour summed over prompts and models, the series spend_anomaly judges (daily and in the hourly scan) and
-- data_gap watches for silence. Three sums per hour, not the whole hour row, over the anomalies' long baseline.
with hours as (
    select hour, feature, calls, requests, spend_usd
    from {{ table(calls_by_hour) }}
    where hour >= cast(@from as timestamp)
      and hour < cast(@to as timestamp)
),

final as (
    select
        hour,
        feature,
        sum(calls) as calls,
        sum(requests) as requests,
        sum(spend_usd) as spend_usd
    from hours
    group by hour, feature
)

select * from final
