-- Grain: one row per customer_id over the month [@month_start, @month_end); null is the unattributed line: the
-- calls with no customer_id, and succeeded outcomes no call of the month worked towards.
-- The rollups keep no customer, so this reads the ledger, bounded by ts. Outcomes are counted as the
-- cost-per-outcome report counts them (see chargeback_by_owner.sql); a succeeded outcome belongs to the customer
-- of the first call in the month that names it in outcome_id.
with calls as (
    select *
    from {{ table(llm_calls) }}
    where ts >= cast(@month_start as timestamp)
      and ts < cast(@month_end as timestamp)
),

succeeded_outcomes as (
    select outcome_id
    from {{ table(outcomes) }}
    where ts >= cast(@month_start as timestamp)
      and ts < cast(@month_end as timestamp)
      and succeeded
      and {{ in_list(feature, @outcome_features) }}
),

calls_towards_outcomes as (
    select
        outcome_id,
        customer_id,
        row_number() over (partition by outcome_id order by ts, attempt, call_id) as nth_call
    from calls
    where outcome_id is not null
),

-- every call, and every succeeded outcome as a row of its own, under the customer it belongs to
owned as (
    select
        customer_id,
        attempt,
        cost_usd,
        input_tokens,
        cached_input_tokens,
        output_tokens,
        case when status = 'ok' and not coalesce({{ in_list(feature, @outcome_features) }}, false) then 1 else 0 end
            as outcomes
    from calls
    union all
    select first_calls.customer_id, null, null, null, null, null, 1
    from succeeded_outcomes
    left join calls_towards_outcomes as first_calls
        on first_calls.outcome_id = succeeded_outcomes.outcome_id
        and first_calls.nth_call = 1
),

final as (
    select
        customer_id as owner,
        count(attempt) as calls,
        countif(attempt = 1) as requests,
        {{ money(coalesce(sum(cost_usd), 0)) }} as spend_usd,
        coalesce(sum(input_tokens), 0) as input_tokens,
        coalesce(sum(cached_input_tokens), 0) as cached_input_tokens,
        coalesce(sum(output_tokens), 0) as output_tokens,
        countif(attempt is not null and cost_usd is null) as unpriced_calls,
        sum(outcomes) as outcomes
    from owned
    group by owner
)

select * from final
