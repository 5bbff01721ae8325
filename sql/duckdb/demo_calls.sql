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
-- count. demo_outcomes.sql repeats the CTEs up to `units` word for word: change them in both files.
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
with params as (
    select
        cast($seed as bigint) as seed,
        cast($days as integer) as days,
        cast($end_date as date) as end_date,
        cast($end_date as date) - cast($days as integer) as start_date,
        cast($scale as double) as scale
),

calendar as (
    -- one row per day of the window
    select
        *,
        cast(start_date + cast(day_index as integer) as timestamp) as day_start,
        days - day_index as days_before_end,
        dayofweek(start_date + cast(day_index as integer)) in (0, 6) as is_weekend,
        -- slow growth, ~0.3% a day: the volumes in `workloads` are those of the window's last day
        exp(0.003 * (day_index + 1 - days)) as growth,
        -- cache_regression: from E-10 the summaries prompt prefix is rebuilt, and so hashed anew, every day
        case
            when days - day_index <= 10
                then left(md5('summarize@v3/' || cast(start_date + cast(day_index as integer) as varchar)), 16)
            else left(md5('summarize@v3'), 16)
        end as summaries_prefix_hash
    from (select *, unnest(range(days)) as day_index from params)
),

hours as (
    -- one row per hour of the day; `diurnal` averages 1 over the day and peaks at 15:00 UTC (morning in the US,
    -- afternoon in Europe), with a night floor of about a fifth of the peak
    select hour, weight * 24 / sum(weight) over () as diurnal
    from (select hour, 0.25 + exp(-power(hour - 15, 2) / 20.0) as weight from range(24) as h(hour))
),

workloads as (
    -- one row per stream of work; units_per_day is a weekday on the window's last day at $scale = 1
    select *
    from (
        values
            ('support_bot', 'support_bot', 1, 330, 0.55, 2, 6),
            ('code_review', 'code_review', 2, 650, 0.40, 1, 1),
            ('search_summaries', 'search_summaries', 3, 2300, 0.60, 1, 1),
            ('doc_extraction', 'doc_extraction', 4, 80, 0.45, 1, 2),
            ('acme_trial', 'search_summaries', 5, 6, 1.00, 1, 1),
            -- spend_anomaly: one conversation, only on E-3 at 09:00 (see hourly_volume and units)
            ('support_loop', 'support_bot', 6, 0, 1.00, 1, 1)
    ) as w(workload, feature, workload_code, units_per_day, weekend_factor, min_turns, max_turns)
),

hourly_volume as (
    -- one row per day, hour and workload: how many units (conversations, documents, requests) start in that hour,
    -- and how many started before it (units are numbered across the window)
    select
        *,
        coalesce(
            sum(units) over (order by day_index, hour, workload_code rows between unbounded preceding and 1 preceding),
            0
        ) as units_before
    from (
        select
            calendar.*,
            hours.hour,
            workloads.*,
            day_start + to_hours(hours.hour) as hour_start,
            case
                when workload = 'support_loop' then cast(days_before_end = 3 and hours.hour = 9 as integer)
                else cast(floor(
                    units_per_day * scale * growth * diurnal / 24
                    * (case when is_weekend then weekend_factor else 1 end)
                    * (0.9 + 0.2 * (hash(seed, day_index, workload_code, 101) % 1000003) / 1000003.0)
                    * (0.8 + 0.4 * (hash(seed, day_index, hours.hour, workload_code, 102) % 1000003) / 1000003.0)
                    -- randomized rounding keeps small hourly volumes (a few calls a day) right on average
                    + (hash(seed, day_index, hours.hour, workload_code, 103) % 1000003) / 1000003.0
                ) as integer)
            end as units
        from calendar
        cross join hours
        cross join workloads
    )
),

unit_blocks as materialized (
    -- one row per block of up to 64 units of an hour. Every operator below is order-preserving (projections,
    -- unnest, a filter; no join, no aggregate), so rows come out in this order whatever the thread count. It is
    -- materialized so that a COPY streams from it: read straight from the sort, DuckDB would hold the whole
    -- output in memory to keep its order (~7 GB for 10 million calls, against ~300 MB this way).
    select *, unnest(range(cast(ceil(units / 64) as integer))) as block
    from hourly_volume
    order by day_index, hour, workload_code, block
),

unit_draws as (
    -- one row per unit of work, numbered across the window (unit_seq), with its random draws
    select
        *,
        (hash(seed, unit_seq, 201) % 1000003) / 1000003.0 as u_start,
        (hash(seed, unit_seq, 202) % 1000003) / 1000003.0 as u_turns,
        (hash(seed, unit_seq, 203) % 1000003) / 1000003.0 as u_segment,
        (hash(seed, unit_seq, 204) % 1000003) / 1000003.0 as u_customer,
        (hash(seed, unit_seq, 205) % 1000003) / 1000003.0 as u_model,
        (hash(seed, unit_seq, 206) % 1000003) / 1000003.0 as u_pace
    from (
        select *, units_before + unnest(range(block * 64, least(units, block * 64 + 64))) as unit_seq
        from unit_blocks
    )
),

units as (
    -- one row per unit of work: when it starts, who it is for, which model serves it, how many calls it takes
    select
        *,
        case
            when model like 'claude%' then 'anthropic'
            when model like 'gpt%' then 'openai'
            when model like 'gemini%' then 'google'
            else 'acme'
        end as provider,
        'cus_' || lpad(cast(cast(case
            when workload = 'support_loop' then 7
            -- a few customers carry most of the traffic of their segment
            when segment = 'enterprise' then 1 + floor(50 * u_customer * u_customer)
            when segment = 'pro' then 51 + floor(550 * u_customer * u_customer)
            else 601 + floor(1400 * u_customer * u_customer)
        end as integer) as varchar), 4, '0') as customer_id
    from (
        select
            *,
            -- any time in its hour; the loop within its first five minutes, so that it ends by 12:05
            hour_start + to_milliseconds(cast(
                floor(u_start * (case when workload = 'support_loop' then 300000 else 3600000 end)) as bigint
            )) as unit_start,
            case
                when workload = 'support_loop' then greatest(1, cast(round(1400 * scale) as integer))
                else min_turns + cast(floor(u_turns * (max_turns - min_turns + 1)) as integer)
            end as turns,
            case
                when workload = 'support_loop' or u_segment < 0.25 then 'enterprise'
                when u_segment < 0.70 then 'pro'
                else 'free'
            end as segment,
            case
                when workload = 'support_bot' and u_segment >= 0.70 and u_model < 0.5 then 'claude-3-5-haiku-latest'
                when workload in ('support_bot', 'support_loop') then 'claude-sonnet-4-20250514'
                -- model_switch_without_eval: code_review moves to the cheaper model on E-30, with no eval run
                when workload = 'code_review' and days_before_end > 30 then 'gpt-4o'
                when workload = 'code_review' then 'gpt-4o-mini'
                when workload = 'search_summaries' then 'gemini-2.5-flash'
                -- premium_model_default: a tenth of the documents already run on haiku, at the same quality
                when workload = 'doc_extraction' and u_model < 0.10 then 'claude-3-5-haiku-latest'
                when workload = 'doc_extraction' then 'claude-opus-4-20250514'
                else 'acme-llm-9000'
            end as model,
            -- seconds between the calls of a unit: a customer's next message, a document's next pages, the loop's
            -- next step (its calls spread evenly over three hours)
            case
                when workload = 'support_bot' then 40 + 50 * u_pace
                when workload = 'doc_extraction' then 20 + 20 * u_pace
                else 10800.0 / greatest(1, round(1400 * scale))
            end as pace_s
        from unit_draws
    )
),

requests as (
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
