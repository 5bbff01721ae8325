-- Grain: one row per month, provider and model over [@from, @to) (the first day of the invoice's first month, and
-- of the month after its last). Providers and models are compared lower-cased, as invoices spell them in any case;
-- a call with no provider is its own group (provider_key null). An invoice comes from one provider, so
-- functions/reconcile/compare.ts compares each invoice line with its own provider's row only. `top_feature` is the
-- feature with the most spend on the model from that provider that month: the one a mismatch finding names.
with calls as (
    select
        {{ month({{ day(ts) }}) }} as month,
        lower(provider) as provider_key,
        lower(model) as model_key,
        model,
        feature,
        input_tokens,
        output_tokens,
        cost_usd
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
),

spend_by_feature as (
    select
        month,
        provider_key,
        model_key,
        feature,
        coalesce(sum(cost_usd), 0) as spend_usd
    from calls
    group by month, provider_key, model_key, feature
),

ranked_features as (
    select
        month,
        provider_key,
        model_key,
        feature,
        row_number() over (partition by month, provider_key, model_key order by spend_usd desc, feature) as spend_rank
    from spend_by_feature
),

per_model as (
    select
        month,
        provider_key,
        model_key,
        min(model) as model,
        count(*) as calls,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        {{ money(coalesce(sum(cost_usd), 0)) }} as spend_usd,
        countif(cost_usd is null) as unpriced_calls
    from calls
    group by month, provider_key, model_key
),

final as (
    select
        per_model.month,
        per_model.provider_key,
        per_model.model_key,
        per_model.model,
        per_model.calls,
        per_model.input_tokens,
        per_model.output_tokens,
        per_model.spend_usd,
        per_model.unpriced_calls,
        ranked_features.feature as top_feature
    from per_model
    left join ranked_features
        on ranked_features.month = per_model.month
        and coalesce(ranked_features.provider_key, '') = coalesce(per_model.provider_key, '')
        and ranked_features.model_key = per_model.model_key
        and ranked_features.spend_rank = 1
)

select * from final
order by month, model_key, provider_key
