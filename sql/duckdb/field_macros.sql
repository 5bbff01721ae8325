-- The DuckDB macros the validation queries (validate_calls.sql, validate_outcomes.sql) read fields with: created on
-- a connection before they run (functions/ledger/load.ts, functions/ingest/scratch.ts). They read every field of
-- every record of a load, so their cost is the load's: each is the plain expression where it gives the same answer.

-- text_field(v): v as text without the ASCII spaces around it, or null when nothing is left. Spaces only: the
-- one-argument trim() also strips Unicode spaces (U+00A0, U+2003, U+3000...), which the ingest function's checker
-- (functions/ingest/check-call.ts) would then have to copy exactly; trim(v, ' ') removes the space and nothing else.
-- A trim copies every string (four times the cost of the comparisons), so it runs only on a value that starts or
-- ends with a space.
create or replace temp macro text_field(v) as
    case
        when starts_with(cast(v as varchar), ' ') or ends_with(cast(v as varchar), ' ')
            then nullif(trim(cast(v as varchar), ' '), '')
        else nullif(cast(v as varchar), '')
    end;

-- utc_timestamp(v): v as a UTC timestamp, or null when it is not one. Read as timestamptz so that an offset
-- (+02:00) is honoured (the session time zone is UTC), except text that ends in Z: it is UTC already, and a plain
-- cast reads it four times faster to the same instant.
create or replace temp macro utc_timestamp(v) as
    case
        when ends_with(cast(v as varchar), 'Z') then try_cast(v as timestamp)
        else try_cast(try_cast(v as timestamptz) as timestamp)
    end;
