-- Grain: one row per outcome of this load that lands in outcomes: valid and not seen before.
-- Reads the temp table `validated` (validate_outcomes.sql) and outcomes.
with valid as (
    select * from validated where problem is null
),

first_in_file as (
    select * from valid
    qualify row_number() over (partition by outcome_id order by line) = 1
),

known as (
    select outcome_id
    from outcomes
    where ts >= (select min(ts) from valid) - interval 1 day
      and ts <= (select max(ts) from valid) + interval 1 day
),

final as (
    select
        ts,
        outcome_id,
        feature,
        segment,
        succeeded,
        value_usd,
        $load_id as load_id,
        cast($loaded_at as timestamp) as loaded_at
    from first_in_file
    anti join known using (outcome_id)
)

select * from final
