-- Partition ledger and run history of the orchestrator.

CREATE TABLE ops.partitions (
    table_name VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    state VARCHAR NOT NULL,              -- done | failed | skipped
    reason VARCHAR,                      -- why failed / skipped (bootstrap, no_games, gate: ..., error)
    rows BIGINT,
    run_id BIGINT,
    transform_fingerprint VARCHAR,
    input_fingerprint VARCHAR,
    data_fingerprint VARCHAR,            -- order-independent hash of the partition's rows
    forced BOOLEAN NOT NULL DEFAULT false,
    computed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE ops.runs (
    run_id BIGINT NOT NULL,
    command VARCHAR NOT NULL,
    start_date DATE,
    end_date DATE,
    status VARCHAR NOT NULL,             -- running | success | partial | failed
    rows BIGINT,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    error VARCHAR,
    failure_category VARCHAR,            -- no_data | upstream | processing | timeout | configuration | unknown
    details JSON                         -- per-table timings, partition counts
);
