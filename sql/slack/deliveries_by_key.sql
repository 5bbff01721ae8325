-- Grain: one row per Slack delivery whose key is in @keys: what a job is about to queue, or the thread it replies in.
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
where {{ in_list(key, @keys) }}
