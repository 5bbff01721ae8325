-- Grain: one row per call_id of an ingest batch that the ledger already holds: those calls are duplicates (a client
-- retried the batch) and do not land again.
-- @call_ids are the batch's valid call_ids; [@from, @to) are the batch's days widened by a day before and two after,
-- the same window the file loader checks (sql/duckdb/new_calls.sql): a re-delivered record keeps its ts, so only
-- the partitions around the batch are read, never the ledger's whole history.
with known as (
    select call_id
    from {{ table(llm_calls) }}
    where ts >= cast(@from as timestamp)
      and ts < cast(@to as timestamp)
      -- a semi-join on the batch's ids (hashed), not in_list: a list of thousands searched per ledger row is slow
      and call_id in (select * from unnest(@call_ids))
),

final as (
    select distinct call_id
    from known
)

select * from final
