-- Grain: one row per staged call record: the typed call with its defaults filled in, or the first field found
-- wrong (`problem.field`) and why, with the fix (`problem.reason`).
-- Reads the CTE `staged` (see functions/ledger/stage.ts), with the macros of field_macros.sql: fields arrive as
-- text (NDJSON, CSV) or typed (Parquet); every check below works for both, and a value becomes text only in the
-- message of a rejected row. Counts are checked as doubles (exact for whole numbers below 2^53) and amounts as
-- DECIMAL(18, 9) (up to a billion dollars a record): both cast far faster than DECIMAL(38, 9).
with cast_fields as (
    select
        line,
        parse_error,
        unknown_fields,
        ts as ts_raw,
        utc_timestamp(ts) as ts,
        text_field(call_id) as call_id,
        text_field(request_id) as request_id,
        attempt as attempt_raw,
        try_cast(attempt as double) as attempt,
        text_field(feature) as feature,
        text_field(segment) as segment,
        text_field(customer_id) as customer_id,
        text_field(provider) as provider,
        text_field(model) as model,
        text_field(prompt_id) as prompt_id,
        text_field(prompt_prefix_hash) as prompt_prefix_hash,
        input_tokens as input_tokens_raw,
        try_cast(input_tokens as double) as input_tokens,
        cached_input_tokens as cached_input_tokens_raw,
        try_cast(cached_input_tokens as double) as cached_input_tokens,
        cache_write_input_tokens as cache_write_input_tokens_raw,
        try_cast(cache_write_input_tokens as double) as cache_write_input_tokens,
        output_tokens as output_tokens_raw,
        try_cast(output_tokens as double) as output_tokens,
        latency_ms as latency_ms_raw,
        try_cast(latency_ms as double) as latency_ms,
        lower(text_field(status)) as status,
        quality as quality_raw,
        try_cast(quality as double) as quality,
        text_field(outcome_id) as outcome_id,
        cost_usd as cost_usd_raw,
        try_cast(cost_usd as decimal(18, 9)) as cost_usd
    from staged
),

checked as (
    select
        *,
        -- the first rule of functions/ledger/call-rules.ts the row fails, {'field': ..., 'reason': ...}, or null:
        -- a CASE generated from the rules (callProblemSql) that functions/ledger/load.ts puts in place of this
        -- marker line, so that the loader and the ingest function (functions/ingest/check-call.ts) apply one
        -- definition of a valid call and say the same of an invalid one
        -- call_problem --
        as problem
    from cast_fields
),

final as (
    select
        line,
        problem,
        ts,
        call_id,
        coalesce(request_id, call_id) as request_id,
        -- try_cast: a rejected row's count may be out of BIGINT's range (a valid one is not: call-rules.ts bounds
        -- every count), and it does not land, so it must not fail the load
        try_cast(coalesce(attempt, 1) as bigint) as attempt,
        feature,
        segment,
        customer_id,
        provider,
        model,
        prompt_id,
        prompt_prefix_hash,
        try_cast(input_tokens as bigint) as input_tokens,
        try_cast(coalesce(cached_input_tokens, 0) as bigint) as cached_input_tokens,
        try_cast(coalesce(cache_write_input_tokens, 0) as bigint) as cache_write_input_tokens,
        try_cast(output_tokens as bigint) as output_tokens,
        try_cast(round(latency_ms) as bigint) as latency_ms,
        coalesce(status, 'ok') as status,
        quality,
        outcome_id,
        cast(cost_usd as decimal(38, 9)) as cost_usd
    from checked
)

select * from final
