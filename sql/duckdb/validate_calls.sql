-- Grain: one row per staged call record: the typed call with its defaults filled in, or the first field found
-- wrong (`problem.field`) and why, with the fix (`problem.reason`).
-- Reads the CTE `staged` (see functions/ledger/stage.ts): fields arrive as text (NDJSON, CSV) or typed (Parquet);
-- every check below works for both, and a value becomes text only in the message of a rejected row. Counts are
-- checked as doubles (exact for whole numbers below 2^53) and amounts as DECIMAL(18, 9) (up to a billion dollars a
-- record): both cast far faster than DECIMAL(38, 9).
with cast_fields as (
    select
        line,
        parse_error,
        unknown_fields,
        ts as ts_raw,
        -- via timestamptz so that an offset (+02:00, Z) is honoured; the session time zone is UTC
        try_cast(try_cast(ts as timestamptz) as timestamp) as ts,
        nullif(trim(cast(call_id as varchar)), '') as call_id,
        nullif(trim(cast(request_id as varchar)), '') as request_id,
        attempt as attempt_raw,
        try_cast(attempt as double) as attempt,
        nullif(trim(cast(feature as varchar)), '') as feature,
        nullif(trim(cast(segment as varchar)), '') as segment,
        nullif(trim(cast(customer_id as varchar)), '') as customer_id,
        nullif(trim(cast(provider as varchar)), '') as provider,
        nullif(trim(cast(model as varchar)), '') as model,
        nullif(trim(cast(prompt_id as varchar)), '') as prompt_id,
        nullif(trim(cast(prompt_prefix_hash as varchar)), '') as prompt_prefix_hash,
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
        lower(nullif(trim(cast(status as varchar)), '')) as status,
        quality as quality_raw,
        try_cast(quality as double) as quality,
        nullif(trim(cast(outcome_id as varchar)), '') as outcome_id,
        cost_usd as cost_usd_raw,
        try_cast(cost_usd as decimal(18, 9)) as cost_usd
    from staged
),

checked as (
    select
        *,
        case
            when parse_error is not null
                then {'field': 'record', 'reason': parse_error}
            when len(unknown_fields) > 0
                then {'field': unknown_fields[1], 'reason': 'is not a field of a call record: rename it to one of the fields in sql/schema/llm_calls.json, or drop it'}
            when ts_raw is null
                then {'field': 'ts', 'reason': 'is missing: give the UTC time the call started, e.g. 2026-11-01T12:34:56Z'}
            when ts is null
                then {'field': 'ts', 'reason': '"' || left(cast(ts_raw as varchar), 40) || '" is not a timestamp: use ISO 8601, e.g. 2026-11-01T12:34:56Z'}
            when call_id is null
                then {'field': 'call_id', 'reason': 'is missing: give each attempt a unique id'}
            when model is null
                then {'field': 'model', 'reason': 'is missing: give the model id as the provider names it, e.g. gpt-4o-mini'}
            when attempt_raw is not null and (attempt is null or attempt < 1 or attempt <> floor(attempt))
                then {'field': 'attempt', 'reason': '"' || left(cast(attempt_raw as varchar), 40) || '" is not a whole number >= 1: use 1 for the first try, 2 for the first retry'}
            when input_tokens_raw is null
                then {'field': 'input_tokens', 'reason': 'is missing: give the input tokens, cached ones included'}
            when input_tokens is null or input_tokens < 0 or input_tokens <> floor(input_tokens)
                then {'field': 'input_tokens', 'reason': '"' || left(cast(input_tokens_raw as varchar), 40) || '" is not a whole number >= 0'}
            when output_tokens_raw is null
                then {'field': 'output_tokens', 'reason': 'is missing: give the output tokens'}
            when output_tokens is null or output_tokens < 0 or output_tokens <> floor(output_tokens)
                then {'field': 'output_tokens', 'reason': '"' || left(cast(output_tokens_raw as varchar), 40) || '" is not a whole number >= 0'}
            when cached_input_tokens_raw is not null and (cached_input_tokens is null or cached_input_tokens < 0 or cached_input_tokens <> floor(cached_input_tokens))
                then {'field': 'cached_input_tokens', 'reason': '"' || left(cast(cached_input_tokens_raw as varchar), 40) || '" is not a whole number >= 0'}
            when cache_write_input_tokens_raw is not null and (cache_write_input_tokens is null or cache_write_input_tokens < 0 or cache_write_input_tokens <> floor(cache_write_input_tokens))
                then {'field': 'cache_write_input_tokens', 'reason': '"' || left(cast(cache_write_input_tokens_raw as varchar), 40) || '" is not a whole number >= 0'}
            when coalesce(cached_input_tokens, 0) + coalesce(cache_write_input_tokens, 0) > input_tokens
                then {'field': 'cached_input_tokens', 'reason': 'cached (' || cast(cast(coalesce(cached_input_tokens, 0) as bigint) as varchar) || ') plus cache-write (' || cast(cast(coalesce(cache_write_input_tokens, 0) as bigint) as varchar) || ') tokens exceed input_tokens (' || cast(cast(input_tokens as bigint) as varchar) || '): input_tokens must include cached tokens, as the OpenTelemetry GenAI conventions count them'}
            when latency_ms_raw is not null and (latency_ms is null or latency_ms < 0)
                then {'field': 'latency_ms', 'reason': '"' || left(cast(latency_ms_raw as varchar), 40) || '" is not a number of milliseconds >= 0'}
            when status is not null and status not in ('ok', 'error', 'timeout', 'rate_limited')
                then {'field': 'status', 'reason': '"' || left(status, 40) || '" is not a status: use ok, error, timeout or rate_limited'}
            when quality_raw is not null and (quality is null or quality < 0 or quality > 1 or isnan(quality))
                then {'field': 'quality', 'reason': '"' || left(cast(quality_raw as varchar), 40) || '" is not a score in [0, 1]: leave it out when the call was not scored'}
            when cost_usd_raw is not null and (cost_usd is null or cost_usd < 0)
                then {'field': 'cost_usd', 'reason': '"' || left(cast(cost_usd_raw as varchar), 40) || '" is not an amount in USD >= 0: write it as a decimal, e.g. 0.0123, or leave it out to have the call priced'}
        end as problem
    from cast_fields
),

final as (
    select
        line,
        problem,
        ts,
        call_id,
        coalesce(request_id, call_id) as request_id,
        cast(coalesce(attempt, 1) as bigint) as attempt,
        feature,
        segment,
        customer_id,
        provider,
        model,
        prompt_id,
        prompt_prefix_hash,
        cast(input_tokens as bigint) as input_tokens,
        cast(coalesce(cached_input_tokens, 0) as bigint) as cached_input_tokens,
        cast(coalesce(cache_write_input_tokens, 0) as bigint) as cache_write_input_tokens,
        cast(output_tokens as bigint) as output_tokens,
        cast(round(latency_ms) as bigint) as latency_ms,
        coalesce(status, 'ok') as status,
        quality,
        outcome_id,
        cast(cost_usd as decimal(38, 9)) as cost_usd
    from checked
)

select * from final
