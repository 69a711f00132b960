-- Pre-game active lists: who was available for each team's game. The league publishes each team's active and
-- inactive players before tip-off, so this is pre-game knowledge (like the schedule), unlike the box score's stats.
-- Rebuilt from the box-score listings whenever player identities are resolved (nbaprops.raw.players); one row per
-- (game_id, player_id), kept by that rebuild, not by a PRIMARY KEY (see 0001).
CREATE TABLE raw.active_lists (
    game_id VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    season_year INTEGER NOT NULL,
    team VARCHAR NOT NULL,
    player_id BIGINT NOT NULL,
    available BOOLEAN NOT NULL,         -- dressed (played or a coach's decision DNP) vs inactive
    reason VARCHAR,                     -- the listing's reason for an inactive player ("Did Not Dress", ...)
    source VARCHAR NOT NULL             -- the box-score source the listing came from
);
