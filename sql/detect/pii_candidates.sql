-- Grain: one row per table, field, value and feature whose value matches @pattern, the pii-scan job's prefilter
-- (functions/pii/rules.ts), over the calls of [@from, @to) by ts and the records quarantined in it: the days the
-- value was first and last seen and the rows holding it. The job confirms each value with the redactor's rules,
-- so this only has to miss nothing. The fields are the scanned fields of functions/pii/fields.ts (all but what the
-- ledger writes itself); a quarantined record has no trusted feature. On BigQuery the union reads each column
-- once, whatever the number of fields. regexp_replace(...) != value is "contains a match" in both dialects
-- (BigQuery's regexp_contains is DuckDB's regexp_matches); both engines use RE2.
with calls as (
    select
        ts, feature, call_id, request_id, segment, customer_id, provider, model, prompt_id, prompt_prefix_hash,
        outcome_id
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
),

rejected as (
    select quarantined_at, source, field, reason, record
    from {{ table(quarantine) }}
    where quarantined_at >= cast(@from as timestamp)
      and quarantined_at < cast(@to as timestamp)
),

field_values as (
    select 'llm_calls' as table_name, ts as seen_at, feature, 'feature' as field, feature as value from calls
    union all select 'llm_calls', ts, feature, 'segment', segment from calls
    union all select 'llm_calls', ts, feature, 'provider', provider from calls
    union all select 'llm_calls', ts, feature, 'model', model from calls
    union all select 'llm_calls', ts, feature, 'prompt_id', prompt_id from calls
    union all select 'llm_calls', ts, feature, 'customer_id', customer_id from calls
    union all select 'llm_calls', ts, feature, 'call_id', call_id from calls
    union all select 'llm_calls', ts, feature, 'request_id', request_id from calls
    union all select 'llm_calls', ts, feature, 'prompt_prefix_hash', prompt_prefix_hash from calls
    union all select 'llm_calls', ts, feature, 'outcome_id', outcome_id from calls
    union all select 'quarantine', quarantined_at, cast(null as string), 'source', source from rejected
    union all select 'quarantine', quarantined_at, cast(null as string), 'field', field from rejected
    union all select 'quarantine', quarantined_at, cast(null as string), 'reason', reason from rejected
    union all select 'quarantine', quarantined_at, cast(null as string), 'record', record from rejected
),

final as (
    select
        table_name,
        field,
        value,
        feature,
        min({{ day(seen_at) }}) as first_day,
        max({{ day(seen_at) }}) as last_day,
        count(*) as row_count
    from field_values
    where value is not null
      and regexp_replace(value, @pattern, '') != value
    group by table_name, field, value, feature
)

select * from final
