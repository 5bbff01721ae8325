-- Grain: one row per Slack delivery of the kinds in @kinds not yet done (status pending), oldest first: what a run of
-- the job that owns those kinds delivers, a page before the reply in its thread. Failed deliveries (refused by Slack
-- for good) are not listed: they wait for --force.
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
    and {{ in_list(kind, @kinds) }}
order by created_at, key
