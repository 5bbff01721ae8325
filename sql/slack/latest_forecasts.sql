-- Grain: one row per scope, scope value and target month in [@month_from, @month_to), from the latest weekly
-- forecast run on or before @as_of that forecast any of those months. Runs before @from are too old to report
-- (and are not read).
with runs as (
    select *
    from {{ table(forecasts) }}
    where run_date >= cast(@from as date)
      and run_date <= cast(@as_of as date)
      and target_month >= cast(@month_from as date)
      and target_month < cast(@month_to as date)
),

latest as (
    select max(run_date) as run_date
    from runs
),

final as (
    select
        runs.scope,
        runs.scope_value,
        runs.target_month,
        runs.horizon_months,
        runs.run_date,
        runs.method,
        runs.actual_to_date_usd,
        runs.mean_usd,
        runs.lo80_usd,
        runs.hi80_usd,
        runs.lo95_usd,
        runs.hi95_usd
    from runs
    inner join latest on runs.run_date = latest.run_date
)

select * from final
order by scope desc, scope_value is null, scope_value, target_month
