-- Grain: one row per feature that recorded a succeeded outcome in [@from, @to). A feature with no configured
-- unit is measured in outcomes when it has any, else in its ok logical requests.
select distinct feature
from {{ table(outcomes_by_day) }}
where day >= cast(@from as date)
  and day < cast(@to as date)
  and outcomes > 0
  and feature is not null
