-- Grain: one row per feature: the month-end spend forecast for @month (its first day) from the latest weekly refit
-- run on or before @as_of and on or after @from (the forecast job's `forecasts` table). budget_overrun compares it
-- with the feature's monthly budget; without the table, or without a row, it projects the month's run rate itself.
with forecasts as (
    select scope_value, run_date, method, actual_to_date_usd, mean_usd, lo80_usd, hi80_usd
    from {{ table(forecasts) }}
    where run_date >= cast(@from as date)
      and run_date <= cast(@as_of as date)
      and scope = 'feature'
      and scope_value is not null
      and target_month = cast(@month as date)
),

ranked as (
    select
        *,
        max(run_date) over (partition by scope_value) as latest_run_date
    from forecasts
),

final as (
    select
        scope_value as feature,
        run_date,
        method,
        actual_to_date_usd,
        mean_usd,
        lo80_usd,
        hi80_usd
    from ranked
    where run_date = latest_run_date
)

select * from final
