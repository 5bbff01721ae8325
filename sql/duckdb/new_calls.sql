-- Grain: one row per call of this load that lands in llm_calls: valid, not seen before, and priced.
-- Reads the CTE `validated` (validate_calls.sql), the temp tables `repeated_lines` (the lines whose call_id an
-- earlier line of the same load already has: usually none), `prices_by_day` (the rate of each model on each day
-- of the load, see functions/ledger/load.ts) and `staging_shape` (functions/ledger/stage.ts), and llm_calls.
-- $first_day and $last_day bound the days of the load.
with valid as (
    select * from validated where problem is null
),

first_in_file as (
    -- a call_id repeated within the load lands once: its first line
    select valid.*
    from valid
    anti join repeated_lines using (line)
),

known as (
    -- call_ids already in the ledger around this load's time range: a re-delivered record keeps its ts, so only
    -- the ledger's days that the load overlaps are read, not its whole history
    select call_id
    from llm_calls
    where ts >= cast($first_day as timestamp) - interval 1 day
      and ts < cast($last_day as timestamp) + interval 2 day
),

new_calls as (
    select first_in_file.*
    from first_in_file
    anti join known using (call_id)
),

priced as (
    -- input_tokens includes cached reads and cache writes, each with its own rate; the uncached rest pays the
    -- input rate. The arithmetic is exact and in integers, which DuckDB does ~30x faster than DECIMAL(38, 9):
    -- a rate of R USD per million tokens (at most 9 decimals) is R x 1e9 femto-dollars (1e-15 USD) per token, a
    -- whole number; tokens x that, summed, is the cost in femto-dollars; rounded half up to nano-dollars it is
    -- the DECIMAL(38, 9) cost. (A HUGEINT sum: no call is large enough to overflow it.)
    select
        new_calls.*,
        prices_by_day.source as price_source,
        (
            cast(new_calls.input_tokens - new_calls.cached_input_tokens - new_calls.cache_write_input_tokens as hugeint)
                * prices_by_day.input_femto_usd_per_token
            + cast(new_calls.cached_input_tokens as hugeint) * prices_by_day.cached_input_femto_usd_per_token
            + cast(new_calls.cache_write_input_tokens as hugeint) * prices_by_day.cache_write_input_femto_usd_per_token
            + cast(new_calls.output_tokens as hugeint) * prices_by_day.output_femto_usd_per_token
        ) as catalog_cost_femto_usd
    from new_calls
    -- an equi-join on (provider, model, day), so DuckDB hashes it; providers are never '' (validation makes blanks
    -- null), so '' stands for "no provider" in the key
    left join prices_by_day
        on prices_by_day.model = new_calls.model
        and prices_by_day.provider_key = coalesce(new_calls.provider, '')
        and prices_by_day.day = cast(new_calls.ts as date)
),

with_cost as (
    select
        *,
        -- femto-dollars / 1e6, rounded half up = nano-dollars; dividing a BIGINT is ~20x faster than a HUGEINT,
        -- and every call under $9,000 fits one
        cast(
            cast(
                case
                    when catalog_cost_femto_usd < 9000000000000000000
                        then (cast(catalog_cost_femto_usd as bigint) + 500000) // 1000000
                    else (catalog_cost_femto_usd + 500000) // 1000000
                end
                as decimal(18, 0)
            ) * cast(0.000000001 as decimal(9, 9))
            as decimal(38, 9)
        ) as catalog_cost_usd
    from priced
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
        -- the shape the file's records came in (native, otel, litellm), set when it was staged
        (select source_shape from staging_shape) as source_shape,
        $load_id as load_id,
        cast($loaded_at as timestamp) as loaded_at
    from with_cost
)

select * from final
