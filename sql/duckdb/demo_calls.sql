-- Grain: one row per model call attempt of the synthetic demo workload: the llm_calls record without cost_usd (the
-- loader prices every row from the catalog), `ts` a naive UTC timestamp, over the $days days before $end_date.
--
-- Parameters: $seed (integer), $days (integer), $end_date ('YYYY-MM-DD', exclusive), $scale (volume multiplier:
-- 1.0 is the demo: ~3,400 calls a weekday and ~1,900 a weekend day at the start of a 90-day window, ~4,500 and
-- ~2,500 at its end, ~309k calls in all; volume is proportional to $scale, 32.4 makes ~10 million).
--
-- Deterministic: every random draw is a uniform in [0, 1) made from hash(seed, the row's natural key, a salt number
-- of its own), never random(); rows come out in the order (day, hour, workload, unit, turn, attempt) through
-- order-preserving operators only. So a seed gives the same rows, and byte-identical files, whatever the thread
-- count. The units of work and their draws come from demo_units.sql, which demo_outcomes.sql reads too.
--
-- The traffic: weekday/weekend seasonality (weekends 40-60% of weekdays), a diurnal profile peaking ~15:00 UTC,
-- ~0.3%/day growth, day and hour noise, segments enterprise / pro / free with customers cus_0001..cus_2000.
--   support_bot       conversations of 2-6 calls, each ending in a `resolved ticket` outcome (demo_outcomes.sql);
--                     claude-sonnet-4, half of the free segment on claude-3-5-haiku; a cached 4,000-token prefix,
--                     ~60% cache hit rate. The largest spend.
--   code_review       unit = calls; gpt-4o (see model_switch_without_eval).
--   search_summaries  unit = calls; the most calls, gemini-2.5-flash, cheap; a few calls a day on acme-llm-9000.
--   doc_extraction    documents of 1-2 calls, each a `processed document` outcome; claude-opus-4.
--
-- Seeded problems. E = $end_date and "E-n" the day n days before it (the window's last day is E-1); all of them
-- are inside the window when $days >= 61:
--   prompt_drift               search_summaries, prompt summarize@v3: ~800 input tokens a call up to E-60, then
--                              growing linearly, day by day, to ~2,400 on E-1 (the first grown day is E-59).
--   cache_regression           search_summaries: from E-10 its prompt_prefix_hash changes every day and its cache hit
--                              rate falls from ~48% to ~7%.
--   model_switch_without_eval  code_review: gpt-4o up to E-31, gpt-4o-mini from E-30; quality ~0.86 -> ~0.71.
--   retry_storm                E-8 from 13:00 to 17:00 UTC: gpt-4o-mini (code_review) tries fail 75% of the time
--                              (timeout / error / rate_limited) and are retried, up to 5 attempts: attempts per
--                              request jump from ~1.01 to ~2.5-3; a quarter of those requests fail all 5 attempts.
--   retry_cap_exceeded         the same requests: 2 to 5 attempts each, above any retry cap below 5.
--   spend_anomaly              E-3 from 09:00 to ~12:05 UTC: a runaway agent loop in support_bot, enterprise customer
--                              cus_0007, one stuck conversation of 1,400 x $scale calls re-sending a context that
--                              grows from 12k to 90k tokens: ~10x support_bot's normal daily spend in three hours.
--   premium_model_default      doc_extraction: 90% of documents on claude-opus-4 (quality ~0.93), 10% on
--                              claude-3-5-haiku-latest (quality ~0.90): both pass a 0.85 bar.
--   unattributed_spend         every day ~3% of requests have no feature and ~2% more no segment (nor customer).
--   unpriced_spend             every day ~5 calls (x $scale) on acme-llm-9000, a model no price catalog knows.
-- Reads the CTE `units` (demo_units.sql).
with requests as (
    -- one row per logical request (a unit's turn), with how many tries it takes: the failures before its first
    -- success are geometric in the failure rate
    select
        *,
        cast(floor(ln(u_failures) / ln(failure_rate)) as integer) as failures
    from (
        select
            *,
            unit_start + to_milliseconds(cast(floor(turn * pace_s * 1000) as bigint)) as request_ts,
            case
                -- retry_storm: E-8 from 13:00 to 17:00 UTC, gpt-4o-mini fails three tries in four
                when model = 'gpt-4o-mini' and days_before_end = 8 and hour between 13 and 16 then 0.75
                else 0.012
            end as failure_rate,
            (hash(seed, unit_seq, turn, 301) % 1000003 + 1) / 1000004.0 as u_failures,
            (hash(seed, unit_seq, turn, 302) % 1000003) / 1000003.0 as u_attribution,
            (hash(seed, unit_seq, turn, 303) % 1000003) / 1000003.0 as u_input,
            (hash(seed, unit_seq, turn, 304) % 1000003) / 1000003.0 as u_output
        from (select *, unnest(range(turns)) as turn from units)
    )
),

prompts as (
    -- the prompt of each request: template, cacheable prefix, tokens in and (if it succeeds) out
    select
        *,
        case
            when workload in ('support_bot', 'support_loop') then 'support_agent@v7'
            when workload = 'code_review' then 'code_review@v2'
            when workload in ('search_summaries', 'acme_trial') then 'summarize@v3'
            else 'extract_fields@v4'
        end as prompt_id,
        case
            when workload in ('support_bot', 'support_loop') then left(md5('support_agent@v7'), 16)
            when workload = 'code_review' then left(md5('code_review@v2'), 16)
            when workload in ('search_summaries', 'acme_trial') then summaries_prefix_hash
            else left(md5('extract_fields@v4'), 16)
        end as prompt_prefix_hash,
        case
            -- a 4,000-token system prompt with tools, then the conversation so far
            when workload = 'support_bot' then 4000 + 1200 * turn + floor(1400 * u_input)
            -- spend_anomaly: the loop re-sends an ever longer context, from ~12k to ~90k tokens
            when workload = 'support_loop' then 12000 + floor(78000 * turn / turns) + floor(2000 * u_input)
            when workload = 'code_review' then 1800 + floor(3200 * u_input)
            -- prompt_drift: flat up to E-60, then growing every day to three times the size on E-1
            when workload = 'search_summaries'
                then floor(800 * (1 + 2 * greatest(0, 60 - days_before_end) / 59.0) * (0.85 + 0.3 * u_input))
            when workload = 'doc_extraction' then 3000 + floor(6000 * u_input)
            else 900 + floor(400 * u_input)
        end as prompt_tokens,
        case
            when workload = 'support_bot' then 250 + floor(450 * u_output)
            when workload = 'support_loop' then 400 + floor(400 * u_output)
            when workload = 'code_review' then 250 + floor(500 * u_output)
            when workload = 'search_summaries' then 90 + floor(80 * u_output)
            when workload = 'doc_extraction' then 400 + floor(800 * u_output)
            else 120 + floor(60 * u_output)
        end as answer_tokens,
        'r_' || seed || '_' || unit_seq || '_' || turn as request_id
    from requests
),

attempts as (
    -- one row per attempt: the failed tries of a request, then its success (unless all 5 tries failed)
    select
        *,
        (hash(seed, unit_seq, turn, attempt_index, 401) % 1000003) / 1000003.0 as u_status,
        (hash(seed, unit_seq, turn, attempt_index, 402) % 1000003) / 1000003.0 as u_cache,
        (hash(seed, unit_seq, turn, attempt_index, 403) % 1000003) / 1000003.0 as u_latency,
        (hash(seed, unit_seq, turn, attempt_index, 404) % 1000003) / 1000003.0 as u_sampled,
        (hash(seed, unit_seq, turn, attempt_index, 405) % 1000003) / 1000003.0 as u_score
    from (select *, unnest(range(least(failures + 1, 5))) as attempt_index from prompts)
),

tries as (
    -- each attempt's start (after the back-off of the tries before it), its status and its use of the cache
    select
        *,
        request_ts + to_milliseconds(cast(attempt_index * 25000 + (pow(2, attempt_index) - 1) * 1000 as bigint)) as ts,
        case
            when attempt_index >= failures then 'ok'
            when u_status < 0.55 then 'timeout'
            when u_status < 0.80 then 'error'
            else 'rate_limited'
        end as status,
        case
            -- ~90% of support calls read 55-85% of their prompt from the cache: ~60% of input tokens overall
            when workload = 'support_bot' and u_cache < 0.9 then floor(prompt_tokens * (0.55 + 0.3 * u_cache / 0.9))
            when workload = 'support_loop' then floor(prompt_tokens * 0.3)
            -- OpenAI caches the prompt prefix in 128-token steps
            when workload = 'code_review' and u_cache < 0.55 then 1280
            -- cache_regression: while the prefix churns (from E-10) few calls find it cached
            when workload = 'search_summaries' and u_cache < (case when days_before_end <= 10 then 0.12 else 0.8 end)
                then floor(prompt_tokens * 0.6)
            when workload = 'doc_extraction' and u_cache < 0.7 then 1800
            else 0
        end as cache_read_tokens,
        case
            -- a cache miss on an Anthropic model writes the prefix (Anthropic bills cache writes, the others do not)
            when workload = 'support_bot' and u_cache >= 0.9 then 4000
            when workload = 'doc_extraction' and u_cache >= 0.7 then 1800
            else 0
        end as cache_write_tokens
    from attempts
),

calls as (
    -- what the call log records for each attempt: attribution, tokens as billed, latency, a sampled quality score
    select
        *,
        -- unattributed_spend: ~3% of ordinary requests lose their feature tag, ~2% more their customer and segment
        u_attribution < 0.03 and workload not in ('acme_trial', 'support_loop') as no_feature,
        u_attribution >= 0.03 and u_attribution < 0.05 and workload not in ('acme_trial', 'support_loop')
            as no_customer,
        -- a rate-limited try never reaches the model; a failed one bills its prompt; a timeout, what it generated
        cast(case when status = 'rate_limited' then 0 else prompt_tokens end as bigint) as input_tokens,
        cast(case when status = 'rate_limited' then 0 else cache_read_tokens end as bigint) as cached_input_tokens,
        cast(case when status = 'rate_limited' then 0 else cache_write_tokens end as bigint)
            as cache_write_input_tokens,
        cast(case
            when status = 'ok' then answer_tokens
            when status = 'timeout' then floor(answer_tokens * u_latency)
            else 0
        end as bigint) as output_tokens,
        cast(case
            when status = 'timeout' then 30000 + floor(2000 * u_latency)
            when status = 'error' then 200 + floor(1800 * u_latency)
            when status = 'rate_limited' then 40 + floor(200 * u_latency)
            -- time to first token plus time per generated token, by model, with log-normal-ish noise
            else (
                case model
                    when 'claude-opus-4-20250514' then 1500 + 30 * answer_tokens
                    when 'claude-sonnet-4-20250514' then 900 + 15 * answer_tokens
                    when 'claude-3-5-haiku-latest' then 500 + 8 * answer_tokens
                    when 'gpt-4o' then 600 + 12 * answer_tokens
                    when 'gpt-4o-mini' then 400 + 8 * answer_tokens
                    when 'gemini-2.5-flash' then 350 + 5 * answer_tokens
                    else 800 + 20 * answer_tokens
                end + 0.02 * prompt_tokens
            ) * exp((u_latency - 0.5) * 0.8)
        end as bigint) as latency_ms,
        -- a 0..1 eval score on ~30% of the successful calls (none on the loop), around the mean of its model
        case
            when status = 'ok' and workload <> 'support_loop' and u_sampled < 0.3 then round(least(1, greatest(0,
                case
                    when workload = 'support_bot' and model = 'claude-sonnet-4-20250514' then 0.88
                    when workload = 'support_bot' then 0.83
                    -- model_switch_without_eval: the quality code_review loses with the switch
                    when model = 'gpt-4o' then 0.86
                    when model = 'gpt-4o-mini' then 0.71
                    when model = 'gemini-2.5-flash' then 0.80
                    -- premium_model_default: on doc_extraction haiku passes the same 0.85 bar as opus
                    when model = 'claude-opus-4-20250514' then 0.93
                    when workload = 'doc_extraction' then 0.90
                    else 0.74
                end + (u_sampled / 0.3 + u_score - 1) * 0.08
            )), 3)
        end as quality
    from tries
),

final as (
    select
        ts,
        'c' || substr(request_id, 2) || '_' || (attempt_index + 1) as call_id,
        request_id,
        attempt_index + 1 as attempt,
        case when no_feature then null else feature end as feature,
        case when no_customer then null else segment end as segment,
        case when no_customer then null else customer_id end as customer_id,
        provider,
        model,
        prompt_id,
        prompt_prefix_hash,
        input_tokens,
        cached_input_tokens,
        cache_write_input_tokens,
        output_tokens,
        latency_ms,
        status,
        quality,
        case when workload in ('support_bot', 'support_loop', 'doc_extraction') then 'o_' || seed || '_' || unit_seq end
            as outcome_id
    from calls
    -- the last units of the window may run past its end: those calls belong to the next window
    where ts < cast(end_date as timestamp)
)

select * from final
