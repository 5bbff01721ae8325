-- Grain: one row per staged outcome record: the typed outcome with its defaults filled in, or the first field
-- found wrong (`problem.field`) and why, with the fix (`problem.reason`). Reads the CTE `staged`, with the macros
-- of field_macros.sql.
with cast_fields as (
    select
        line,
        parse_error,
        unknown_fields,
        ts as ts_raw,
        utc_timestamp(ts) as ts,
        text_field(outcome_id) as outcome_id,
        text_field(feature) as feature,
        text_field(segment) as segment,
        lower(text_field(succeeded)) as succeeded_text,
        value_usd as value_usd_raw,
        try_cast(value_usd as decimal(18, 9)) as value_usd
    from staged
),

checked as (
    select
        *,
        case
            when parse_error is not null
                then {'field': 'record', 'reason': parse_error}
            when len(unknown_fields) > 0
                then {'field': unknown_fields[1], 'reason': 'is not a field of an outcome record: rename it to one of the fields in sql/schema/outcomes.json, or drop it'}
            when ts_raw is null
                then {'field': 'ts', 'reason': 'is missing: give the UTC time of the outcome, e.g. 2026-11-01T12:34:56Z'}
            when ts is null
                then {'field': 'ts', 'reason': '"' || left(cast(ts_raw as varchar), 40) || '" is not a timestamp: use ISO 8601, e.g. 2026-11-01T12:34:56Z'}
            when outcome_id is null
                then {'field': 'outcome_id', 'reason': 'is missing: give each outcome a unique id'}
            when succeeded_text is not null and succeeded_text not in ('true', 'false', '1', '0')
                then {'field': 'succeeded', 'reason': '"' || left(succeeded_text, 40) || '" is not true or false'}
            when value_usd_raw is not null and (value_usd is null or value_usd < 0)
                then {'field': 'value_usd', 'reason': '"' || left(cast(value_usd_raw as varchar), 40) || '" is not an amount in USD >= 0: write it as a decimal, e.g. 6.50'}
        end as problem
    from cast_fields
),

final as (
    select
        line,
        problem,
        ts,
        outcome_id,
        feature,
        segment,
        coalesce(succeeded_text in ('true', '1'), true) as succeeded,
        cast(value_usd as decimal(38, 9)) as value_usd
    from checked
)

select * from final
