-- Grain: one row per piece of advice of the latest advise run on or before @as_of (and on or after @from: older
-- advice is stale and not read), the largest monthly saving first.
with runs as (
    select *
    from {{ table(advice) }}
    where run_date >= cast(@from as date)
      and run_date <= cast(@as_of as date)
),

latest as (
    select max(run_date) as run_date
    from runs
),

final as (
    select
        runs.run_date,
        runs.key,
        runs.advisor,
        runs.feature,
        runs.subject,
        runs.summary,
        runs.saving_usd_month
    from runs
    inner join latest on runs.run_date = latest.run_date
)

select * from final
order by saving_usd_month is null, saving_usd_month desc, key
