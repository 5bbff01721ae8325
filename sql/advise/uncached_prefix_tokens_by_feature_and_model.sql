-- Grain: one row per feature, provider and model with calls in [@from, @to): the input tokens that sat behind a
-- repeated prompt prefix and were not read from the cache.
-- A cache is per model, so a prefix is a (feature, provider, model, prompt_prefix_hash). Its length, prefix_tokens:
-- the fewest tokens the cache ever served of it (a cache read is a prefix of the prompt, so any read proves that
-- many tokens are shared: the least of them is a safe lower bound); where the cache never served it, the shortest
-- prompt carrying it (the prefix can be no longer; failed tries that billed no tokens left out). Every call after
-- the first with the same prefix could have read min(prefix_tokens, its input_tokens) from the cache; what it did
-- not read (never below 0) is the caching advice's "still on the table". The first call of each prefix in the
-- window is left out: it has to write the cache.
with calls as (
    select ts, call_id, feature, provider, model, prompt_prefix_hash, input_tokens, cached_input_tokens
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      and feature is not null
),

prefixed as (
    select
        *,
        min(case when cached_input_tokens > 0 then cached_input_tokens end)
            over (partition by feature, provider, model, prompt_prefix_hash) as shortest_read,
        min(case when input_tokens > 0 then input_tokens end)
            over (partition by feature, provider, model, prompt_prefix_hash) as shortest_prompt,
        row_number() over (partition by feature, provider, model, prompt_prefix_hash order by ts, call_id) as nth
    from calls
),

repeats as (
    select
        *,
        prompt_prefix_hash is not null and nth > 1 as is_repeat,
        coalesce(shortest_read, shortest_prompt, 0) as prefix_tokens
    from prefixed
),

final as (
    select
        feature,
        provider,
        model,
        count(*) as calls,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        countif(is_repeat) as repeat_calls,
        coalesce(sum(case
            when is_repeat then greatest(least(prefix_tokens, input_tokens) - cached_input_tokens, 0)
        end), 0) as uncached_prefix_tokens
    from repeats
    group by feature, provider, model
)

select * from final
order by feature, provider, model
