-- Grain: one row per finding whose kind is in @kinds: the stored state that a detector run merges into.
select
    key,
    kind,
    severity,
    feature,
    subject,
    first_seen,
    last_seen,
    impact_usd_month,
    summary,
    evidence,
    status,
    acked_until,
    detected_at,
    updated_at
from {{ table(findings) }}
where {{ in_list(kind, @kinds) }}
