-- Grain: one row per scope (the total, or a feature), scope value and target month, from the latest weekly
-- forecast of each scope run on or before @as_of, for the month of @as_of and the months after it: where spend is
-- heading, with the 80% and 95% intervals. Runs more than five weeks old are stale (the job refits weekly) and
-- not read. In BigQuery @as_of is current_date().
with runs as (
    select
        *,
        max(run_date) over (partition by scope, scope_value) as latest_run_date
    from {{ table(forecasts) }}
    where run_date >= {{ add_days(cast(@as_of as date), -35) }}
      and run_date <= cast(@as_of as date)
      and target_month >= {{ month(cast(@as_of as date)) }}
),

final as (
    select
        scope, scope_value, target_month,
        run_date, horizon_months, method,
        actual_to_date_usd,
        mean_usd, lo80_usd, hi80_usd, lo95_usd, hi95_usd
    from runs
    where run_date = latest_run_date
)

select * from final
