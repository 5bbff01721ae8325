-- Grain: one row per LiteLLM spend-log row of the file (its LiteLLM_SpendLogs table, exported as NDJSON or CSV),
-- staged as a native call record: the staged columns it maps (functions/ledger/stage.ts adds the others, null).
-- Reads the CTE `records` (line, record, json, parse_error) and the temp table `staging_shape` (the metadata keys
-- and tag names that carry feature, segment and customer, from the config's `shapes:` section).
-- Column names as in LiteLLM's schema.prisma (model LiteLLM_SpendLogs). Columns the ledger has no field for
-- (api_key, messages, response, requester_ip_address, ...) are dropped here and never reach the ledger.
-- Speed: each row is parsed once for its columns (one json_extract_string over a constant list of paths) and its
-- metadata once more; the names configured for feature, segment and customer are looked up in maps.
with columns as (
    select
        line,
        record,
        parse_error,
        json_extract_string(json, [
            '$.request_id', '$.model', '$.custom_llm_provider', '$.startTime', '$.endTime', '$.request_duration_ms',
            '$.prompt_tokens', '$.completion_tokens', '$.spend', '$.cache_hit', '$.status', '$.end_user',
            '$.metadata', '$.request_tags']) as c
    from records
),

spend_logs as (
    select
        line,
        record,
        parse_error,
        c[1] as request_id,
        c[2] as model,
        c[3] as custom_llm_provider,
        c[4] as start_time,
        c[5] as end_time,
        c[6] as request_duration_ms,
        c[7] as prompt_tokens,
        c[8] as completion_tokens,
        c[9] as spend,
        c[10] as cache_hit,
        c[11] as status,
        c[12] as end_user,
        -- metadata and request_tags are JSON columns: objects in an NDJSON export, JSON text in a CSV one; either
        -- way the extracted string is the object's JSON text
        json_extract_string(try_cast(c[13] as json), [
            '$.additional_usage_values.cache_read_input_tokens',
            '$.additional_usage_values.prompt_tokens_details.cached_tokens',
            '$.usage_object.cache_read_input_tokens',
            '$.usage_object.prompt_tokens_details.cached_tokens',
            '$.additional_usage_values.cache_creation_input_tokens',
            '$.usage_object.cache_creation_input_tokens',
            '$.status', '$.error_information.error_code', '$.error_information.error_class', '$.tags',
            '$.spend_logs_metadata']) as m,
        try_cast(try_cast(c[13] as json) as map(varchar, varchar)) as metadata,
        try_cast(try_cast(c[14] as json) as varchar[]) as request_tags,
        staging_shape.feature_keys,
        staging_shape.segment_keys,
        staging_shape.customer_keys
    from columns
    cross join staging_shape
),

tagged as (
    select
        *,
        -- tags as LiteLLM's request_tags and metadata.tags hold them, e.g. ["feature:support_bot", "tier:pro"]
        list_concat(request_tags, try_cast(try_cast(m[10] as json) as varchar[])) as tags,
        try_cast(try_cast(m[11] as json) as map(varchar, varchar)) as spend_logs_metadata,
        -- prompt caching: the provider's usage, as LiteLLM keeps it in metadata.additional_usage_values (Anthropic's
        -- names, or OpenAI's prompt_tokens_details), or in metadata.usage_object
        coalesce(m[1], m[2], m[3], m[4]) as cache_read_tokens,
        coalesce(m[5], m[6]) as cache_creation_tokens,
        lower(coalesce(status, m[7])) as litellm_status,
        m[8] as error_code,
        lower(m[9]) as error_class,
        try_cast(start_time as timestamptz) as started_at,
        try_cast(end_time as timestamptz) as ended_at
    from spend_logs
),

owned as (
    select
        *,
        -- feature, segment and customer: for each, the first of its configured names found as a key of the call's
        -- spend_logs_metadata, a key of the metadata, or a "name:value" tag
        list_transform([feature_keys, segment_keys, customer_keys], lambda keys: list_filter(list_transform(keys,
            lambda k: coalesce(
                spend_logs_metadata[k],
                metadata[k],
                list_transform(list_filter(tags, lambda t: starts_with(t, k || ':')), lambda t: substr(t, length(k) + 2))[1])),
            lambda v: v is not null)[1]) as owners
    from tagged
),

final as (
    select
        line,
        line as source_line,
        record,
        case
            when parse_error is not null then parse_error
            when start_time is null and prompt_tokens is null and spend is null
                then 'is not a LiteLLM spend-log row: give request_id, model, prompt_tokens, completion_tokens, spend and startTime, or load the file with --shape native'
        end as parse_error,
        start_time as ts,
        request_id as call_id,
        owners[1] as feature,
        owners[2] as segment,
        -- the customer: a named key or tag, else LiteLLM's end_user (the `user` a request names). LiteLLM's own
        -- `user` column is the owner of the API key, a colleague rather than a customer, and is not used.
        coalesce(owners[3], nullif(end_user, '')) as customer_id,
        nullif(custom_llm_provider, '') as provider,
        nullif(model, '') as model,
        prompt_tokens as input_tokens,
        cache_read_tokens as cached_input_tokens,
        cache_creation_tokens as cache_write_input_tokens,
        completion_tokens as output_tokens,
        coalesce(
            nullif(request_duration_ms, ''),
            cast(epoch_ms(ended_at) - epoch_ms(started_at) as varchar)) as latency_ms,
        case
            when litellm_status not in ('failure', 'failed', 'error') or litellm_status is null then 'ok'
            when error_code = '429' or replace(error_class, '_', '') like '%ratelimit%' then 'rate_limited'
            when error_code in ('408', '504') or error_class like '%timeout%' then 'timeout'
            else 'error'
        end as status,
        -- LiteLLM writes a spend of 0 both for a response served from its cache (truly free) and for a model it has
        -- no price for. The second must not be billed as free: it is left out, and the ledger prices the call.
        case
            when try_cast(spend as double) = 0 and lower(coalesce(cache_hit, '')) not in ('true', 't', '1') then null
            else spend
        end as cost_usd
    from owned
)

select * from final
