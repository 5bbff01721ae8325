-- Grain: one row: the calls and the spend in the ledger itself over the month [@month_start, @month_end), the
-- figure every bill of the month must add up to.
with calls as (
    select cost_usd
    from {{ table(llm_calls) }}
    where ts >= cast(@month_start as timestamp)
      and ts < cast(@month_end as timestamp)
),

final as (
    select
        count(*) as calls,
        {{ money(coalesce(sum(cost_usd), 0)) }} as spend_usd
    from calls
)

select * from final
