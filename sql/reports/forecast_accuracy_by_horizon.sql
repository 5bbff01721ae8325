-- Grain: one row per scope and horizon (months between the run and the target month: 0 is the month in progress)
-- over the scored forecasts of the target months in [@from, @to): how often the actual fell inside the intervals,
-- and how far the mean was from it. Running figures: every weekly forecast of a month counts.
-- A month is forecast from about three months before it (the job projects the next three) until it ends, so its
-- forecasts' run dates lie in [@from - 100 days, @to): the partitions read.
with scored as (
    select *
    from {{ table(forecasts) }}
    where run_date >= {{ add_days(cast(@from as date), -100) }}
      and run_date < cast(@to as date)
      and scored_at is not null
      and target_month >= cast(@from as date)
      and target_month < cast(@to as date)
),

final as (
    select
        scope,
        horizon_months,
        count(*) as forecasts,
        count(distinct target_month) as months,
        avg(case when in80 then 1.0 else 0.0 end) as coverage80,
        avg(case when in95 then 1.0 else 0.0 end) as coverage95,
        {{ money(avg(abs(error_usd))) }} as mean_abs_error_usd,
        {{ money(avg(error_usd)) }} as mean_error_usd,
        avg({{ safe_divide({{ float(abs(error_usd)) }}, {{ float(actual_usd) }}) }}) as mean_abs_pct_error
    from scored
    group by scope, horizon_months
)

select * from final
order by scope desc, horizon_months
