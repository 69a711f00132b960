-- Phase 1 live sources: the injury report table and the HTTP request log.

CREATE TABLE raw.injuries (
    report_time TIMESTAMP NOT NULL,     -- when the report was published, US Eastern as printed on it
    game_date DATE NOT NULL,
    game_time VARCHAR,                  -- as printed ("07:30 (ET)")
    matchup VARCHAR,                    -- AWAY@HOME
    away_team VARCHAR,
    home_team VARCHAR,
    team VARCHAR NOT NULL,              -- the player's team (tricode)
    game_id VARCHAR,                    -- resolved from (game_date, home, away) against the loaded games
    player_name VARCHAR NOT NULL,       -- "First Last"
    player_name_listed VARCHAR NOT NULL, -- as printed ("Last, First")
    player_lookup VARCHAR NOT NULL,
    player_id BIGINT,                   -- resolved through raw.player_names when the lookup is unambiguous
    status VARCHAR NOT NULL,            -- Out | Doubtful | Questionable | Probable | Available
    reason VARCHAR,
    source VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

-- Every HTTP attempt and cache hit of the live clients. URLs are stored without secrets.
CREATE TABLE ops.http_requests (
    requested_at TIMESTAMP NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    attempt INTEGER NOT NULL,           -- 0 for a cache hit
    status INTEGER,
    elapsed_ms DOUBLE,
    bytes BIGINT,
    from_cache BOOLEAN NOT NULL,
    quota_remaining VARCHAR,            -- The Odds API x-requests-remaining / x-requests-used
    quota_used VARCHAR,
    error VARCHAR
);
