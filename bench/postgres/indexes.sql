-- Indexes, created after the load (faster than maintaining them row by row during COPY), as a PostgreSQL user
-- would for these queries:
-- * the primary key on call_id: every row is one attempt, and a second row with a known call_id is a duplicate.
--   No timed query uses it; it is there because a real spend-log table has it.
-- * a btree on ts: every query reads a half-open range of time, [$1, $2). For one day of a 90-day ledger the
--   planner reads ~1% of the table through it (a bitmap heap scan); for the whole ledger it rightly prefers a
--   parallel sequential scan. A covering index would not help: the queries group by five columns and sum a dozen
--   more, so an index-only scan would need a second copy of most of the table.
alter table llm_calls add primary key (call_id);
create index llm_calls_ts on llm_calls (ts);
