-- Grain: one row per page delivery of the findings in @pages (each given as `page:FINDING_KEY`), every episode of
-- each. A page's key is `page:FINDING_KEY:ONSET`, ONSET being the 20-character stamp (`2026-11-23T09:00:00Z`) of the
-- episode it paged, so the key less its last 21 characters (the `:` and the stamp) is `page:FINDING_KEY`; greatest()
-- keeps the length of a shorter key from going negative, which BigQuery's substr refuses.
with pages as (
    select *
    from {{ table(deliveries) }}
    where kind = 'page'
),

final as (
    select *
    from pages
    where {{ in_list(substr(key, 1, greatest(length(key) - 21, 0)), @pages) }}
)

select * from final
