-- Grain: one row per open finding, ranked by its monthly dollar impact (largest first; a finding that cannot be
-- put in dollars last), as `ai-finops findings --status open` ranks them. The findings table is small and not
-- partitioned: one row per problem, updated in place.
with open_findings as (
    select
        key, kind, severity,
        feature, subject,
        impact_usd_month, summary, evidence,
        first_seen, last_seen, detected_at
    from {{ table(findings) }}
    where status = 'open'
),

final as (
    select
        row_number() over (
            order by
                impact_usd_month is null,
                impact_usd_month desc,
                case severity when 'page' then 0 when 'warn' then 1 else 2 end,
                key
        ) as impact_rank,
        open_findings.*
    from open_findings
)

select * from final
