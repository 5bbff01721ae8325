-- Grain: the one finding with the dedupe key @key, if there is one (ai-finops findings ack KEY).
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
where key = @key
