-- Grain: one row per feature, provider and model with calls in [@from, @to): the input tokens that sat behind a
-- repeated prompt prefix and were not read from the cache.
-- A cache is per model, so a prefix is a (feature, provider, model, prompt_prefix_hash). Its length, prefix_tokens:
-- the fewest tokens the cache ever served of it (a cache read is a prefix of the prompt, so any read proves that
-- many tokens are shared: the least of them is a safe lower bound); where the cache never served it, the shortest
-- prompt carrying it (the prefix can be no longer; failed tries that billed no tokens left out). Every call after
-- the first with the same prefix could have read min(prefix_tokens, its input_tokens) from the cache; what it did
-- not read (never below 0) is the caching advice's "still on the table". The first call of each prefix in the
-- window (by ts, then call_id) is left out: it has to write the cache.
-- Aggregates and joins rather than window functions over the calls: a window partitioned by prefix sorts a month of
-- calls (1.7 s for 3.4M calls), the two group-bys and joins hash them (0.6 s).
with calls as (
    select ts, call_id, feature, provider, model, prompt_prefix_hash, input_tokens, cached_input_tokens
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      and feature is not null
),

prefixes as (
    select
        feature,
        provider,
        model,
        prompt_prefix_hash,
        coalesce(
            min(case when cached_input_tokens > 0 then cached_input_tokens end),
            min(case when input_tokens > 0 then input_tokens end),
            0
        ) as prefix_tokens,
        min(ts) as first_ts
    from calls
    where prompt_prefix_hash is not null
    group by feature, provider, model, prompt_prefix_hash
),

first_calls as (
    select c.feature, c.provider, c.model, c.prompt_prefix_hash, min(c.call_id) as first_call_id
    from calls c
    join prefixes p
      on c.feature = p.feature
     and (c.provider = p.provider or (c.provider is null and p.provider is null))
     and c.model = p.model
     and c.prompt_prefix_hash = p.prompt_prefix_hash
     and c.ts = p.first_ts
    group by c.feature, c.provider, c.model, c.prompt_prefix_hash
),

repeats as (
    select
        c.*,
        p.prompt_prefix_hash is not null and c.call_id <> f.first_call_id as is_repeat,
        p.prefix_tokens
    from calls c
    left join prefixes p
      on c.feature = p.feature
     and (c.provider = p.provider or (c.provider is null and p.provider is null))
     and c.model = p.model
     and c.prompt_prefix_hash = p.prompt_prefix_hash
    left join first_calls f
      on c.feature = f.feature
     and (c.provider = f.provider or (c.provider is null and f.provider is null))
     and c.model = f.model
     and c.prompt_prefix_hash = f.prompt_prefix_hash
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
