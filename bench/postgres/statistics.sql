-- Extended statistics on the grouping columns, as a PostgreSQL user adds them once EXPLAIN shows the planner
-- misjudging a GROUP BY. Without them PostgreSQL multiplies the distinct counts of the five grouping columns, which
-- it takes to be independent, and expects about one group per row (1M groups for 1M calls, where there are 3,380):
-- a partial aggregate per worker then looks useless, so it plans the whole aggregate on one core, no parallel
-- workers. With the ndistinct of the column combinations it expects thousands of groups and plans a parallel
-- partial hash aggregate on both cores (1.0 s -> 0.8 s for the full rollup of 1M calls). The expressions are the
-- queries' own grouping keys, so the statistics match them. ANALYZE after the load computes them.
create statistics llm_calls_day_groups (ndistinct)
    on ((ts at time zone 'UTC')::date), feature, segment, provider, model
    from llm_calls;
create statistics llm_calls_hour_groups (ndistinct)
    on (date_trunc('hour', ts)), feature, prompt_id, provider, model
    from llm_calls;
