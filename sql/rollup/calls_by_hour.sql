-- Grain: one row per hour, feature, prompt_id, provider and model that had calls, for the days in [@from, @to): the
-- table calls_by_hour, which the rollup keeps (and each detector run refreshes for its last days), so that the
-- detectors read hours instead of raw calls and a run costs the same on a year of history as on a month:
--   spend_anomaly and data_gap sum it per feature and hour; retry_storm judges it per model and hour: logical
--   requests (attempt = 1), requests retried at least once (they have an attempt 2), attempts after the first and
--   their spend;
--   the day-grained detectors sum it per day: prompt_drift (input tokens per successful call, the ok_ columns: a
--   rate-limited try bills no tokens and would make a prompt look shorter), model_switch_without_eval and
--   premium_model_default (quality sums), unattributed_spend (spend with no segment), unpriced_spend (tokens of calls
--   with no price) and budget_overrun.
with calls as (
    select *
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
),

final as (
    select
        {{ hour(ts) }} as hour,
        feature,
        prompt_id,
        provider,
        model,
        count(*) as calls,
        countif(attempt = 1) as requests,
        countif(status = 'ok') as ok_requests,
        countif(attempt = 2) as retried_requests,
        countif(attempt > 1) as retry_calls,
        countif(status <> 'ok') as failed_calls,
        coalesce(sum(cost_usd), 0) as spend_usd,
        coalesce(sum(case when attempt > 1 then cost_usd end), 0) as retry_spend_usd,
        coalesce(sum(case when segment is null then cost_usd end), 0) as no_segment_spend_usd,
        countif(cost_usd is null) as unpriced_calls,
        coalesce(sum(case when cost_usd is null then input_tokens + output_tokens end), 0) as unpriced_tokens,
        coalesce(sum(case when cost_usd is not null then input_tokens + output_tokens end), 0) as priced_tokens,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_input_tokens) as cache_write_input_tokens,
        sum(output_tokens) as output_tokens,
        coalesce(sum(case when status = 'ok' then input_tokens end), 0) as ok_input_tokens,
        coalesce(sum(case when status = 'ok' then cached_input_tokens end), 0) as ok_cached_input_tokens,
        coalesce(sum(case when status = 'ok' then output_tokens end), 0) as ok_output_tokens,
        coalesce(sum(case when status = 'ok' then cost_usd end), 0) as ok_spend_usd,
        coalesce(sum(quality), 0) as quality_sum,
        coalesce(sum(quality * quality), 0) as quality_sq_sum,
        count(quality) as quality_n
    from calls
    group by hour, feature, prompt_id, provider, model
)

select * from final
