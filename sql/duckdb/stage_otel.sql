-- Grain: one row per OpenTelemetry GenAI inference span of the file, staged as a native call record: the staged
-- columns it maps (functions/ledger/stage.ts adds the others, null). Two spellings of a span are read:
--   - OTLP JSON, as the OpenTelemetry file exporter writes it: one ExportTraceServiceRequest per line,
--     resourceSpans[].scopeSpans[].spans[], attributes as [{key, value: {stringValue|intValue|doubleValue|boolValue}}];
--   - a flat attribute map: one span per line, {"gen_ai.request.model": ..., "traceId": ..., ...}.
-- Reads the CTE `records` (line, record, json, parse_error) and the temp table `staging_shape` (the attribute names
-- that carry feature, segment and customer, from the config's `shapes:` section).
-- Attribute names follow the GenAI semantic conventions
-- (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/). Attributes the ledger has no column for
-- (prompts, completions, user ids not named in the config) are dropped here and never reach the ledger.
-- Speed: the file is read once; each OTLP line is parsed once into typed structs (from_json) and each span once
-- more; attributes become two parallel lists, names and values, searched with list_position.
with requests as (
    select
        line,
        record,
        json,
        is_otlp,
        resource_spans,
        coalesce(parse_error, case
            when is_otlp and resource_spans is null
                then 'is not an OTLP export request: resourceSpans must be a list, as in {"resourceSpans": [{"resource": ..., "scopeSpans": [{"spans": [...]}]}]}'
        end) as parse_error
    from (
        select
            *,
            case when is_otlp then from_json(json,
                '{"resourceSpans": [{"resource": "JSON", "scopeSpans": [{"scope": "JSON", "spans": ["JSON"]}]}]}').resourceSpans
            end as resource_spans
        from (select *, coalesce(json_exists(json, '$.resourceSpans'), false) as is_otlp from records)
    )
),

spans as (
    -- one row per span: each span of an OTLP line with its resource and scope, numbered within the line; a flat
    -- map (or a line kept for its parse error) as the one span of its line. The file is read once: both spellings
    -- go through the same unnest.
    select
        line,
        record,
        parse_error,
        is_otlp,
        unnest(case
            when is_otlp and parse_error is null then list_transform(
                flatten(list_transform(resource_spans, lambda rs: flatten(list_transform(rs.scopeSpans, lambda ss:
                    list_transform(ss.spans, lambda sp: {'resource': rs.resource, 'scope': ss.scope, 'span': sp}))))),
                lambda s, i: struct_insert(s, span_index := i))
            else [{'resource': cast(null as json), 'scope': cast(null as json), 'span': cast(json as json), 'span_index': 1}]
        end) as s
    from requests
),

parsed as (
    select
        line,
        record,
        parse_error,
        is_otlp,
        s.span_index,
        s.resource,
        s.scope,
        s.span,
        case when is_otlp and parse_error is null then from_json(s.span, '{"traceId": "VARCHAR", "spanId": "VARCHAR", "startTimeUnixNano": "VARCHAR",
            "endTimeUnixNano": "VARCHAR", "status": {"code": "VARCHAR"},
            "attributes": [{"key": "VARCHAR", "value": {"stringValue": "VARCHAR", "intValue": "VARCHAR", "doubleValue": "VARCHAR", "boolValue": "VARCHAR"}}],
            "events": [{"name": "VARCHAR", "attributes": [{"key": "VARCHAR", "value": {"stringValue": "VARCHAR", "intValue": "VARCHAR", "doubleValue": "VARCHAR", "boolValue": "VARCHAR"}}]}]}')
        end as sp,
        case when is_otlp and parse_error is null then from_json(s.resource, '{"attributes": [{"key": "VARCHAR", "value": {"stringValue": "VARCHAR", "intValue": "VARCHAR", "doubleValue": "VARCHAR", "boolValue": "VARCHAR"}}]}')
            .attributes end as resource_attributes,
        case when not is_otlp then try_cast(s.span as map(varchar, varchar)) end as flat_map
    from spans
),

span_fields as (
    select
        line,
        span_index,
        is_otlp,
        -- an OTLP span alone in a request of its own, so a quarantined span can be fixed and loaded again as it
        -- is; a flat map as it came
        case
            when is_otlp then cast(json_object('resourceSpans', [json_object(
                'resource', resource, 'scopeSpans', [json_object('scope', scope, 'spans', [span])])]) as varchar)
            else record
        end as record,
        parse_error,
        -- a span's own attributes, then its resource's: list_position finds the first, so a span attribute wins
        -- over a resource one. Names and values go to two parallel lists (copying lists of text is far cheaper
        -- than copying lists of structs). A flat map is its own attribute list.
        case
            when is_otlp then list_concat(
                list_transform(sp.attributes, lambda a: a.key),
                list_transform(resource_attributes, lambda a: a.key))
            else map_keys(flat_map)
        end as names,
        case
            when is_otlp then list_concat(
                list_transform(sp.attributes, lambda a: coalesce(a.value.stringValue, a.value.intValue, a.value.doubleValue, a.value.boolValue)),
                list_transform(resource_attributes, lambda a: coalesce(a.value.stringValue, a.value.intValue, a.value.doubleValue, a.value.boolValue)))
            else map_values(flat_map)
        end as vals,
        -- an evaluation result event carries the call's quality score (most spans have no events)
        case when len(sp.events) > 0 then flatten(list_transform(
            list_filter(sp.events, lambda e: e.name = 'gen_ai.evaluation.result'),
            lambda e: list_transform(list_filter(e.attributes, lambda a: a.key = 'gen_ai.evaluation.score.value'),
                lambda a: coalesce(a.value.doubleValue, a.value.intValue))))[1]
        end as evaluation_score,
        -- the span's own fields: OTLP's, or a flat map's in OTLP's or in snake_case spelling; OTLP JSON writes the
        -- status code as its number (2) or, from some exporters, its name
        case when is_otlp then sp.traceId else coalesce(flat_map['traceId'], flat_map['trace_id']) end as trace_id,
        case when is_otlp then sp.spanId else coalesce(flat_map['spanId'], flat_map['span_id']) end as span_id,
        case when is_otlp then sp.startTimeUnixNano
            else coalesce(flat_map['startTimeUnixNano'], flat_map['start_time_unix_nano']) end as start_ns,
        case when is_otlp then sp.endTimeUnixNano
            else coalesce(flat_map['endTimeUnixNano'], flat_map['end_time_unix_nano']) end as end_ns,
        case when is_otlp then sp.status.code
            else coalesce(json_extract_string(try_cast(flat_map['status'] as json), '$.code'), flat_map['status_code'], flat_map['otel.status_code'])
        end as status_code
    from parsed
),

named as (
    select
        span_fields.*,
        -- a GenAI span names its operation, provider, model or usage
        coalesce(list_has_any(names, [
            'gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model',
            'gen_ai.response.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens']), false) as is_gen_ai,
        vals[list_position(names, 'gen_ai.operation.name')] as operation,
        staging_shape.feature_keys,
        staging_shape.segment_keys,
        staging_shape.customer_keys
    from span_fields
    cross join staging_shape
),

calls as (
    -- Only inference spans are calls. Agent and tool spans (invoke_agent, create_agent, execute_tool) are skipped:
    -- an agent span's usage sums its model calls' usage, so counting it too would bill those tokens twice. OTLP
    -- spans of other kinds (HTTP, database) carry no gen_ai.* attribute and are skipped as well; a flat line
    -- without one is not a span of this shape and is rejected below.
    select *
    from named
    where parse_error is not null
        or (not is_gen_ai and not is_otlp)
        or (is_gen_ai and coalesce(operation, 'chat') not in ('invoke_agent', 'create_agent', 'execute_tool'))
),

mapped as (
    select
        -- unique and in file order: a line holds fewer than 2^24 spans (each takes more than 16 of its at most
        -- 256 MiB), so the line's number times 2^24 plus the span's within it never collide
        line * 16777216 + span_index as line,
        line as source_line,
        record,
        case
            when parse_error is not null then parse_error
            when not is_gen_ai
                then 'is not an OpenTelemetry GenAI span: give gen_ai.* attributes (gen_ai.request.model, gen_ai.usage.input_tokens, ...) or load the file with --shape native'
        end as parse_error,
        -- span start in nanoseconds since the epoch -> an ISO timestamp; a value that is no number goes through as
        -- it is, for the validation to name
        case
            when try_cast(start_ns as bigint) is not null
                then strftime(make_timestamp(cast(start_ns as bigint) // 1000), '%Y-%m-%dT%H:%M:%S.%fZ')
            else start_ns
        end as ts,
        -- span ids are unique within their trace only: the call is the trace and the span
        case when span_id is not null then coalesce(trace_id || ':', '') || span_id end as call_id,
        -- http.request.resend_count is 1 for the first retry, so the attempt is one more
        cast(try_cast(vals[list_position(names, 'http.request.resend_count')] as bigint) + 1 as varchar) as attempt,
        -- feature, segment and customer: for each, the first of its configured attribute names the span (or else
        -- its resource) carries
        list_transform([feature_keys, segment_keys, customer_keys], lambda keys: list_filter(
            list_transform(keys, lambda k: vals[list_position(names, k)]), lambda v: v is not null)[1]) as owners,
        coalesce(vals[list_position(names, 'gen_ai.provider.name')], vals[list_position(names, 'gen_ai.system')]) as provider,
        -- the response model is what served the call and was billed; the request model is what was asked for
        coalesce(vals[list_position(names, 'gen_ai.response.model')], vals[list_position(names, 'gen_ai.request.model')]) as model,
        vals[list_position(names, 'gen_ai.prompt.name')] as prompt_id,
        vals[list_position(names, 'gen_ai.usage.input_tokens')] as input_tokens,
        vals[list_position(names, 'gen_ai.usage.cache_read.input_tokens')] as cached_input_tokens,
        vals[list_position(names, 'gen_ai.usage.cache_creation.input_tokens')] as cache_write_input_tokens,
        vals[list_position(names, 'gen_ai.usage.output_tokens')] as output_tokens,
        case
            when try_cast(start_ns as hugeint) is not null and try_cast(end_ns as hugeint) is not null
                then cast((cast(end_ns as hugeint) - cast(start_ns as hugeint)) / 1000000.0 as varchar)
        end as latency_ms,
        vals[list_position(names, 'error.type')] as error_type,
        status_code,
        -- the conventions leave an evaluation score's scale open (1-5 ratings are common); the ledger's quality is a
        -- score in [0, 1], so a score on another scale is left out rather than rejecting the call and its spend
        case
            when try_cast(coalesce(vals[list_position(names, 'gen_ai.evaluation.score.value')], evaluation_score) as double)
                between 0 and 1
                then coalesce(vals[list_position(names, 'gen_ai.evaluation.score.value')], evaluation_score)
        end as quality
    from calls
),

final as (
    select
        line,
        source_line,
        record,
        parse_error,
        ts,
        call_id,
        attempt,
        owners[1] as feature,
        owners[2] as segment,
        owners[3] as customer_id,
        provider,
        model,
        prompt_id,
        input_tokens,
        cached_input_tokens,
        cache_write_input_tokens,
        output_tokens,
        latency_ms,
        -- error.type is set when the call failed; its common values tell timeouts and rate limits apart
        case
            when lower(error_type) like '%timeout%' or error_type in ('408', '504') then 'timeout'
            when lower(replace(error_type, '_', '')) like '%ratelimit%' or error_type = '429' then 'rate_limited'
            when error_type is not null or upper(status_code) in ('2', 'STATUS_CODE_ERROR', 'ERROR') then 'error'
            else 'ok'
        end as status,
        quality
    from mapped
)

select * from final
