-- Rendered from sql/views/spend_by_month_segment_and_model.sql by functions/dashboard/views.ts, with @as_of as current_date().
-- Grain: one row per month (its first day), segment (null: calls with no segment), provider and model, over the
-- thirteen months up to @as_of (as cost_per_outcome_by_month_and_feature.sql counts them), with the row's share
-- of its month's spend: who spends on which model. In BigQuery @as_of is current_date().
with daily as (
    select
        date_trunc(day, month) as month,
        segment, provider, model,
        spend_usd, calls, retry_calls, unpriced_calls,
        input_tokens, cached_input_tokens, output_tokens
    from `${project}.${dataset}.calls_by_day`
    where day >= date_trunc(date_add(date_trunc(cast(current_date() as date), month), interval -365 day), month)
      and day < cast(current_date() as date)
),

per_model as (
    select
        month,
        segment,
        provider,
        model,
        sum(spend_usd) as spend_usd,
        sum(calls) as calls,
        sum(retry_calls) as retry_calls,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens,
        sum(unpriced_calls) as unpriced_calls
    from daily
    group by month, segment, provider, model
),

final as (
    select
        per_model.*,
        safe_divide(cast(spend_usd as float64), sum(spend_usd) over (partition by month)) as month_spend_share
    from per_model
)

select * from final
