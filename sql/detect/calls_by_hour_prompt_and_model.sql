-- Grain: one row per hour, feature, prompt_id, provider and model that had calls, in [@from, @to) (@to a day or an
-- instant): the read every detector shares, from the rollup table calls_by_hour (sql/rollup/calls_by_hour.sql
-- says what each column is for). The detector jobs bring the table's last days up to date before they read it.
select *
from {{ table(calls_by_hour) }}
where hour >= cast(@from as timestamp)
  and hour < cast(@to as timestamp)
