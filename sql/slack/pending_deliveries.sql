-- Grain: one row per Slack delivery not yet done (status pending), oldest first: what a run delivers, a page before
-- the reply in its thread.
select
    key,
    kind,
    channel,
    status,
    attempts,
    posts,
    payload,
    thread_key,
    slack_ts,
    last_error,
    created_at,
    sent_at,
    updated_at
from {{ table(deliveries) }}
where status = 'pending'
order by created_at, key
