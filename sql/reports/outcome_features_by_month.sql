-- Grain: one row per feature measured in outcomes (its rolled-up unit) in the month [@month_start, @month_end). The
-- chargeback counts these features' succeeded outcomes, and every other feature's ok calls, as the cost-per-outcome
-- report does.
with days as (
    select feature, unit
    from {{ table(cost_per_outcome_by_day) }}
    where day >= cast(@month_start as date)
      and day < cast(@month_end as date)
),

final as (
    select distinct feature
    from days
    where unit = 'outcomes'
)

select * from final
order by feature
