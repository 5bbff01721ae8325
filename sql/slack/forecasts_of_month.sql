-- Grain: one row per forecast run, scope and scope value that forecast the month @month (its first day): every
-- weekly forecast made of it, from about three months before it (the job projects the next three) to its end,
-- so its run dates lie in [@month - 100 days, @month_end), the partitions read.
with made as (
    select
        scope,
        scope_value,
        target_month,
        horizon_months,
        run_date,
        method,
        actual_to_date_usd,
        mean_usd,
        lo80_usd,
        hi80_usd,
        lo95_usd,
        hi95_usd
    from {{ table(forecasts) }}
    where run_date >= {{ add_days(cast(@month as date), -100) }}
      and run_date < cast(@month_end as date)
      and target_month = cast(@month as date)
),

final as (
    select * from made
)

select * from final
order by scope desc, scope_value is null, scope_value, run_date
