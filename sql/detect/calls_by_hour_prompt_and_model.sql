-- Grain: one row per hour, feature, prompt_id, provider and model that had calls, in [@from, @to) (@to a day or an
-- instant), from the rollup table calls_by_hour (sql/rollup/calls_by_hour.sql says what each column is for): what
-- retry_storm and retry_cap_exceeded judge per model and hour, over the retries window (the hourly scan's storms: 8
-- days). The detector jobs bring the table's last days up to date before they read it.
select *
from {{ table(calls_by_hour) }}
where hour >= cast(@from as timestamp)
  and hour < cast(@to as timestamp)
