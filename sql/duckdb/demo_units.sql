-- Grain: one row per unit of work of the synthetic demo workload: a support_bot conversation, a code_review,
-- search_summaries or unattributed request, a doc_extraction document, or the runaway loop of the spend anomaly;
-- when it starts, who it is for, which model serves it, how many calls it takes, and its random draws.
-- demo_calls.sql and demo_outcomes.sql both read it (as the CTE `units`, see functions/demo/workload.ts), so
-- every outcome belongs to calls of the same seed.
--
-- Parameters: $seed (integer), $days (integer), $end_date ('YYYY-MM-DD', exclusive), $scale (volume multiplier:
-- 1.0 is the demo: ~3,400 calls a weekday and ~1,900 a weekend day at the start of a 90-day window, ~4,500 and
-- ~2,500 at its end, ~309k calls in all; volume is proportional to $scale, 32.4 makes ~10 million).
--
-- Deterministic: every random draw is a uniform in [0, 1) made from hash(seed, the row's natural key, a salt number
-- of its own), never random(); rows come out in the order (day, hour, workload, unit, turn, attempt) through
-- order-preserving operators only. So a seed gives the same rows, and byte-identical files, whatever the thread
-- count. The seeded problems are described in demo_calls.sql.
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
)

select * from units
