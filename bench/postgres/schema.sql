-- The ledger of model calls as a PostgreSQL user declares it (the columns of sql/schema/llm_calls.json): UTC
-- instants as timestamptz, ids and labels as text, token counts as bigint, the attempt as int, money exact as
-- numeric(38, 9) (the same precision as ai-finops's DECIMAL(38, 9)), the quality score as double precision.
-- A logged table, not an unlogged one: a real spend log must survive a crash (the bulk load skips WAL anyway, see
-- postgresql.conf).
create table llm_calls (
    ts timestamptz not null,
    call_id text not null,
    request_id text not null,
    attempt int not null,
    feature text,
    segment text,
    customer_id text,
    provider text,
    model text not null,
    prompt_id text,
    prompt_prefix_hash text,
    input_tokens bigint not null,
    cached_input_tokens bigint not null,
    cache_write_input_tokens bigint not null,
    output_tokens bigint not null,
    latency_ms bigint,
    status text not null,
    quality double precision,
    outcome_id text,
    cost_usd numeric(18, 9),
    cost_source text not null,
    source_shape text not null,
    load_id text not null,
    loaded_at timestamptz not null
);
