-- Grain: one row per day and feature, for the calls with a feature in [@from, @to): the cache hit rate's parts
-- (cached and all input tokens) and how the prompt prefix churned: the distinct prompt_prefix_hash values of the
-- day, and how many of them the window had not seen before that day. cache_regression reads it.
with calls as (
    select ts, feature, prompt_prefix_hash, input_tokens, cached_input_tokens
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      and feature is not null
),

hash_days as (
    select
        {{ day(ts) }} as day,
        feature,
        prompt_prefix_hash,
        count(*) as calls,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens
    from calls
    group by day, feature, prompt_prefix_hash
),

first_days as (
    select
        *,
        min(day) over (partition by feature, prompt_prefix_hash) as first_day
    from hash_days
),

final as (
    select
        day,
        feature,
        sum(calls) as calls,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        count(prompt_prefix_hash) as prefix_hashes,
        countif(prompt_prefix_hash is not null and day = first_day) as new_prefix_hashes
    from first_days
    group by day, feature
)

select * from final
