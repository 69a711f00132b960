-- Every player-identity rebuild (raw/players.py), committed with the rebuild itself. An archive file applied after
-- the last rebuild (ops.ingest_log.ingest_id > covers_ingest_id: a crash between the two steps) means identity is
-- stale; the next ingest rebuilds it and `status` says so meanwhile. Numbered after issue 13 so that migrations
-- written on parallel branches do not collide.
CREATE TABLE ops.identity_rebuilds (
    covers_ingest_id BIGINT NOT NULL,   -- the last ops.ingest_log row the rebuild saw
    played_rows INTEGER NOT NULL,
    resolved_rows INTEGER NOT NULL,
    rebuilt_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
