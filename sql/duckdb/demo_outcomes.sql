-- Grain: one row per outcome of the synthetic demo workload: a support_bot conversation (`resolved ticket`) or a
-- doc_extraction document (`processed document`), the outcomes record, `ts` a naive UTC timestamp, over the $days
-- days before $end_date. Its outcome_id is the one the unit's calls carry in demo_calls.sql.
--
-- It reads the same units as demo_calls.sql (demo_units.sql, with the same draws), so every outcome belongs to calls
-- of the same seed.
--
-- An outcome lands after its unit's last call: 2 to 20 minutes later (a ticket is closed, a document filed).
--   support_bot     ~80% of conversations succeed, each worth $6.50 (the human ticket it replaces).
--   doc_extraction  ~96% of documents succeed, each worth $1.20.
--   spend_anomaly   the runaway loop of E-3 (customer cus_0007) is one conversation that never resolves: it lands
--                   once, unsucceeded, after its last call (~12:00 UTC), so that day's cost per outcome jumps too.
-- Outcomes that would land on or after $end_date are not in the window (their calls are).
-- Reads the CTE `units` (demo_units.sql).
with outcome_units as (
    -- one row per unit that ends in an outcome, with when it lands and whether it succeeded
    select
        *,
        -- the unit's last call starts at (turns - 1) * pace_s, and its retries take at most ~2 minutes more
        unit_start + to_milliseconds(cast(
            ((turns - 1) * pace_s + 120 + 1080 * (hash(seed, unit_seq, 501) % 1000003) / 1000003.0) * 1000 as bigint
        )) as outcome_ts,
        (hash(seed, unit_seq, 502) % 1000003) / 1000003.0 as u_success
    from units
    where workload in ('support_bot', 'support_loop', 'doc_extraction')
),

final as (
    select
        outcome_ts as ts,
        'o_' || seed || '_' || unit_seq as outcome_id,
        feature,
        segment,
        case
            when workload = 'support_bot' then u_success < 0.80
            when workload = 'doc_extraction' then u_success < 0.96
            else false
        end as succeeded,
        cast(case when feature = 'support_bot' then 6.50 else 1.20 end as decimal(10, 2)) as value_usd
    from outcome_units
    where outcome_ts < cast(end_date as timestamp)
)

select * from final
