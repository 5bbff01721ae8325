-- Grain: one row per call of this load that lands in llm_calls: valid, not seen before, and priced.
-- Reads the temp tables `validated` (validate_calls.sql) and `price_periods` (functions/pricing/), and llm_calls.
with valid as (
    select * from validated where problem is null
),

first_in_file as (
    -- a call_id repeated within the load lands once: its first line
    select * from valid
    qualify row_number() over (partition by call_id order by line) = 1
),

known as (
    -- call_ids already in the ledger around this load's time range: a re-delivered record keeps its ts, so only
    -- the ledger's days that the load overlaps are read, not its whole history
    select call_id
    from llm_calls
    where ts >= (select min(ts) from valid) - interval 1 day
      and ts <= (select max(ts) from valid) + interval 1 day
),

new_calls as (
    select first_in_file.*
    from first_in_file
    anti join known using (call_id)
),

priced as (
    -- input_tokens includes cached reads and cache writes, each with its own rate; the uncached rest pays the
    -- input rate. Rates are USD per million tokens; the product stays exact in DECIMAL.
    select
        new_calls.*,
        price_periods.source as price_source,
        cast(
            (
                (new_calls.input_tokens - new_calls.cached_input_tokens - new_calls.cache_write_input_tokens)
                    * price_periods.input_usd_per_mtok
                + new_calls.cached_input_tokens * price_periods.cached_input_usd_per_mtok
                + new_calls.cache_write_input_tokens * price_periods.cache_write_input_usd_per_mtok
                + new_calls.output_tokens * price_periods.output_usd_per_mtok
            ) * cast(0.000001 as decimal(38, 9))
            as decimal(38, 9)
        ) as catalog_cost_usd
    from new_calls
    left join price_periods
        on price_periods.model = new_calls.model
        and price_periods.provider is not distinct from new_calls.provider
        and cast(new_calls.ts as date) >= coalesce(price_periods.effective_from, date '0001-01-01')
        and cast(new_calls.ts as date) < coalesce(price_periods.effective_to, date '9999-12-31')
        and new_calls.cost_usd is null
),

final as (
    select
        ts,
        call_id,
        request_id,
        attempt,
        feature,
        segment,
        customer_id,
        provider,
        model,
        prompt_id,
        prompt_prefix_hash,
        input_tokens,
        cached_input_tokens,
        cache_write_input_tokens,
        output_tokens,
        latency_ms,
        status,
        quality,
        outcome_id,
        coalesce(cost_usd, catalog_cost_usd) as cost_usd,
        case
            when cost_usd is not null then 'given'
            when catalog_cost_usd is not null then price_source
            else 'unpriced'
        end as cost_source,
        'native' as source_shape,
        $load_id as load_id,
        cast($loaded_at as timestamp) as loaded_at
    from priced
)

select * from final
