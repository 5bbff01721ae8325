-- Grain: updates one forecasts row per (run_date, scope, scope_value, target_month) for the closed target months
-- in [@from, @to) (@to: the first day of the as-of month, so every month before it is complete).
-- The actual of a month is its total spend in the rollup (0 for a scope with no spend that month); a row is
-- (re)scored when it has no actual yet or its actual changed (late rows), so a rerun changes nothing.
-- A month is forecast from about three months before it until it ends, so the forecasts of the target months lie in
-- the run dates [@from - 100 days, @to): the partitions read and updated.
update {{ table(forecasts) }} as f
set
    actual_usd = actuals.actual_usd,
    error_usd = actuals.actual_usd - f.mean_usd,
    in80 = (actuals.actual_usd >= f.lo80_usd and actuals.actual_usd <= f.hi80_usd),
    in95 = (actuals.actual_usd >= f.lo95_usd and actuals.actual_usd <= f.hi95_usd),
    scored_at = cast(@scored_at as timestamp)
from (
    with targets as (
        select distinct
            scope,
            scope_value,
            target_month
        from {{ table(forecasts) }}
        where run_date >= {{ add_days(cast(@from as date), -100) }}
          and run_date < cast(@to as date)
          and target_month >= cast(@from as date)
          and target_month < cast(@to as date)
    ),

    spend as (
        select
            {{ month(day) }} as target_month,
            feature,
            sum(spend_usd) as spend_usd
        from {{ table(cost_per_outcome_by_day) }}
        where day >= cast(@from as date)
          and day < cast(@to as date)
        group by {{ month(day) }}, feature
    ),

    by_scope as (
        select target_month, 'total' as scope, cast(null as string) as scope_value, sum(spend_usd) as spend_usd
        from spend
        group by target_month
        union all
        select target_month, 'feature' as scope, feature as scope_value, spend_usd
        from spend
    ),

    final as (
        select
            targets.scope,
            targets.scope_value,
            targets.target_month,
            {{ money(coalesce(by_scope.spend_usd, 0)) }} as actual_usd
        from targets
        left join by_scope
            on by_scope.target_month = targets.target_month
            and by_scope.scope = targets.scope
            and (by_scope.scope_value = targets.scope_value or (by_scope.scope_value is null and targets.scope_value is null))
    )

    select * from final
) as actuals
where f.target_month = actuals.target_month
  and f.scope = actuals.scope
  and (f.scope_value = actuals.scope_value
       or (f.scope_value is null and actuals.scope_value is null))
  and f.run_date >= {{ add_days(cast(@from as date), -100) }}
  and f.run_date < cast(@to as date)
  and f.target_month >= cast(@from as date)
  and f.target_month < cast(@to as date)
  and (f.actual_usd is null or f.actual_usd != actuals.actual_usd)
