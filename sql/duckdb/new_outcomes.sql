-- Grain: one row per outcome of this load that lands in outcomes: valid and not seen before.
-- Reads the CTE `validated` (validate_outcomes.sql), the temp table `repeated_lines` and outcomes; $first_day and
-- $last_day bound the days of the load.
with valid as (
    select * from validated where problem is null
),

first_in_file as (
    -- an outcome_id repeated within the load lands once: its first line
    select valid.*
    from valid
    anti join repeated_lines using (line)
),

known as (
    select outcome_id
    from outcomes
    where ts >= cast($first_day as timestamp) - interval 1 day
      and ts < cast($last_day as timestamp) + interval 2 day
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
