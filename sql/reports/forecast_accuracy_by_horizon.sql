-- Grain: one row per scope and horizon (months between the run and the target month: 0 is the month in progress)
-- over the scored forecasts of the target months in [@from, @to): how often the actual fell inside the intervals,
-- and how far the mean was from it. Running figures: every weekly forecast of a month counts.
with scored as (
    select *
    from {{ table(forecasts) }}
    where scored_at is not null
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
