-- Schemas, the phase-2 raw tables, the ingest ledger and the quarantine.
-- Keys are enforced by the loaders and by validation, not by PRIMARY KEY constraints: DuckDB checks those
-- eagerly inside a transaction, which breaks the delete-then-insert replace that every write here relies on.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS precompute;
CREATE SCHEMA IF NOT EXISTS features;
CREATE SCHEMA IF NOT EXISTS predictions;

CREATE TABLE raw.teams (
    team_id BIGINT NOT NULL,
    team VARCHAR NOT NULL,          -- NBA tricode
    bbref_code VARCHAR NOT NULL,    -- Basketball-Reference code (BRK, CHO, PHO differ)
    city VARCHAR NOT NULL,
    nickname VARCHAR NOT NULL,
    full_name VARCHAR NOT NULL
);
INSERT INTO raw.teams VALUES
    (1610612737, 'ATL', 'ATL', 'Atlanta', 'Hawks', 'Atlanta Hawks'),
    (1610612738, 'BOS', 'BOS', 'Boston', 'Celtics', 'Boston Celtics'),
    (1610612751, 'BKN', 'BRK', 'Brooklyn', 'Nets', 'Brooklyn Nets'),
    (1610612766, 'CHA', 'CHO', 'Charlotte', 'Hornets', 'Charlotte Hornets'),
    (1610612741, 'CHI', 'CHI', 'Chicago', 'Bulls', 'Chicago Bulls'),
    (1610612739, 'CLE', 'CLE', 'Cleveland', 'Cavaliers', 'Cleveland Cavaliers'),
    (1610612742, 'DAL', 'DAL', 'Dallas', 'Mavericks', 'Dallas Mavericks'),
    (1610612743, 'DEN', 'DEN', 'Denver', 'Nuggets', 'Denver Nuggets'),
    (1610612765, 'DET', 'DET', 'Detroit', 'Pistons', 'Detroit Pistons'),
    (1610612744, 'GSW', 'GSW', 'Golden State', 'Warriors', 'Golden State Warriors'),
    (1610612745, 'HOU', 'HOU', 'Houston', 'Rockets', 'Houston Rockets'),
    (1610612754, 'IND', 'IND', 'Indiana', 'Pacers', 'Indiana Pacers'),
    (1610612746, 'LAC', 'LAC', 'LA', 'Clippers', 'LA Clippers'),
    (1610612747, 'LAL', 'LAL', 'Los Angeles', 'Lakers', 'Los Angeles Lakers'),
    (1610612763, 'MEM', 'MEM', 'Memphis', 'Grizzlies', 'Memphis Grizzlies'),
    (1610612748, 'MIA', 'MIA', 'Miami', 'Heat', 'Miami Heat'),
    (1610612749, 'MIL', 'MIL', 'Milwaukee', 'Bucks', 'Milwaukee Bucks'),
    (1610612750, 'MIN', 'MIN', 'Minnesota', 'Timberwolves', 'Minnesota Timberwolves'),
    (1610612740, 'NOP', 'NOP', 'New Orleans', 'Pelicans', 'New Orleans Pelicans'),
    (1610612752, 'NYK', 'NYK', 'New York', 'Knicks', 'New York Knicks'),
    (1610612760, 'OKC', 'OKC', 'Oklahoma City', 'Thunder', 'Oklahoma City Thunder'),
    (1610612753, 'ORL', 'ORL', 'Orlando', 'Magic', 'Orlando Magic'),
    (1610612755, 'PHI', 'PHI', 'Philadelphia', '76ers', 'Philadelphia 76ers'),
    (1610612756, 'PHX', 'PHO', 'Phoenix', 'Suns', 'Phoenix Suns'),
    (1610612757, 'POR', 'POR', 'Portland', 'Trail Blazers', 'Portland Trail Blazers'),
    (1610612758, 'SAC', 'SAC', 'Sacramento', 'Kings', 'Sacramento Kings'),
    (1610612759, 'SAS', 'SAS', 'San Antonio', 'Spurs', 'San Antonio Spurs'),
    (1610612761, 'TOR', 'TOR', 'Toronto', 'Raptors', 'Toronto Raptors'),
    (1610612762, 'UTA', 'UTA', 'Utah', 'Jazz', 'Utah Jazz'),
    (1610612764, 'WAS', 'WAS', 'Washington', 'Wizards', 'Washington Wizards');

-- Every spelling of a team that a source uses, mapped to the tricode.
CREATE TABLE raw.team_names (name VARCHAR NOT NULL, team VARCHAR NOT NULL);
INSERT INTO raw.team_names
    SELECT DISTINCT name, team FROM (
        SELECT full_name AS name, team FROM raw.teams
        UNION ALL SELECT city || ' ' || nickname, team FROM raw.teams
        UNION ALL SELECT team, team FROM raw.teams
        UNION ALL SELECT bbref_code, team FROM raw.teams
        UNION ALL SELECT 'Los Angeles Clippers', 'LAC'
    );

CREATE TABLE raw.schedule (
    game_id VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    game_datetime_est TIMESTAMP,
    season VARCHAR NOT NULL,
    season_year INTEGER NOT NULL,
    game_type VARCHAR NOT NULL,
    is_cup BOOLEAN NOT NULL,
    home_team VARCHAR,
    away_team VARCHAR,
    home_team_id BIGINT,
    away_team_id BIGINT,
    arena_name VARCHAR,
    arena_city VARCHAR,
    game_label VARCHAR,
    game_sub_label VARCHAR,
    game_code VARCHAR,
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

CREATE TABLE raw.team_boxscores (
    game_id VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    season VARCHAR NOT NULL,
    season_year INTEGER NOT NULL,
    game_type VARCHAR NOT NULL,
    game_code VARCHAR,
    team VARCHAR NOT NULL,
    opponent VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL,
    win BOOLEAN,
    minutes VARCHAR,
    pts INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER,
    oreb INTEGER, dreb INTEGER, reb INTEGER, ast INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER,
    plus_minus INTEGER,
    source VARCHAR NOT NULL,        -- nba_team_box (full box) | nba_gamelog (no shooting splits)
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

CREATE TABLE raw.linescores (
    game_id VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    season VARCHAR NOT NULL,
    team VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL,
    pts_q1 INTEGER, pts_q2 INTEGER, pts_q3 INTEGER, pts_q4 INTEGER, pts_ot INTEGER, pts INTEGER,
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

CREATE TABLE raw.player_boxscores (
    game_id VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    season VARCHAR NOT NULL,
    season_year INTEGER NOT NULL,
    game_type VARCHAR NOT NULL,
    game_code VARCHAR,
    team VARCHAR NOT NULL,
    opponent VARCHAR NOT NULL,
    is_home BOOLEAN NOT NULL,
    source_player_id VARCHAR NOT NULL,  -- the source's own id: bbref id or NBA personId
    player_id BIGINT,                   -- NBA personId, resolved by raw.players for name-only sources
    bbref_player_id VARCHAR,
    player_name VARCHAR NOT NULL,
    player_lookup VARCHAR NOT NULL,
    starter BOOLEAN,
    dnp_reason VARCHAR,                 -- empty when the player played
    minutes VARCHAR,                    -- as the source wrote it ("36:11", "28", "PT34M12.00S"); parsed in phase 3
    pts INTEGER, fgm INTEGER, fga INTEGER, fg3m INTEGER, fg3a INTEGER, ftm INTEGER, fta INTEGER,
    oreb INTEGER, dreb INTEGER, reb INTEGER, ast INTEGER, stl INTEGER, blk INTEGER, tov INTEGER, pf INTEGER,
    plus_minus INTEGER,
    source VARCHAR NOT NULL,            -- bbref_box | nba_gamelog
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

CREATE TABLE raw.shots (
    game_id VARCHAR NOT NULL,
    game_date DATE NOT NULL,
    season VARCHAR NOT NULL,
    season_year INTEGER NOT NULL,
    team VARCHAR NOT NULL,
    player_id BIGINT NOT NULL,
    player_name VARCHAR,
    period INTEGER,
    mins_left INTEGER,
    secs_left INTEGER,
    shot_made BOOLEAN NOT NULL,
    shot_value INTEGER NOT NULL,        -- 2 or 3
    action_type VARCHAR,
    basic_zone VARCHAR,                 -- NBA's zone name, kept as given
    zone_name VARCHAR,
    zone_range VARCHAR,
    shot_distance DOUBLE,
    loc_x DOUBLE,
    loc_y DOUBLE,
    source VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

CREATE TABLE raw.prop_lines (
    market VARCHAR NOT NULL,            -- player_points | player_threes | player_points_rebounds_assists
    bookmaker VARCHAR NOT NULL,         -- lower-case key (draftkings, fanduel, ...)
    player_name VARCHAR NOT NULL,
    player_lookup VARCHAR NOT NULL,
    event_id VARCHAR,
    game_date DATE NOT NULL,            -- US Eastern
    commence_time_utc TIMESTAMP,
    home_team VARCHAR,
    away_team VARCHAR,
    game_id VARCHAR,                    -- resolved from (game_date, home, away) against the loaded games
    line DOUBLE NOT NULL,
    over_price DOUBLE,
    under_price DOUBLE,
    snapshot_time_utc TIMESTAMP,
    source VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_line INTEGER NOT NULL
);

CREATE TABLE raw.players (
    player_id BIGINT NOT NULL,
    player_name VARCHAR NOT NULL,
    player_lookup VARCHAR NOT NULL,
    bbref_player_id VARCHAR,
    resolved_by VARCHAR                 -- nba (own id) | box_match | name_match | alias
);

CREATE TABLE raw.player_names (
    player_lookup VARCHAR NOT NULL,
    player_id BIGINT NOT NULL,
    source VARCHAR NOT NULL             -- nba_gamelog | bbref_box | shots | alias
);

CREATE TABLE ops.ingest_log (
    ingest_id BIGINT NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR,
    source VARCHAR NOT NULL,
    table_name VARCHAR,
    rows_read INTEGER,
    rows_loaded INTEGER,
    rows_rejected INTEGER,
    status VARCHAR NOT NULL,            -- loaded | partial | failed
    error VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);

CREATE TABLE raw.quarantine (
    ingest_id BIGINT NOT NULL,
    file VARCHAR NOT NULL,
    line INTEGER,
    reason VARCHAR NOT NULL,
    record VARCHAR,
    quarantined_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Every game we know of. A game that was played takes its date and teams from the full team box score (the
-- schedule files are snapshots: postponed games keep their old date there); games not played yet, and seasons
-- without box scores, come from the schedule. The calendar, game-id resolution and the planner all read this.
CREATE VIEW raw.games AS
    WITH played AS (
        SELECT game_id, any_value(game_date) AS game_date, any_value(season) AS season,
               any_value(season_year) AS season_year, any_value(game_type) AS game_type,
               max(team) FILTER (WHERE is_home) AS home_team, max(team) FILTER (WHERE NOT is_home) AS away_team,
               any_value(game_code) AS game_code
        FROM raw.team_boxscores WHERE source = 'nba_team_box'
        GROUP BY game_id
    )
    SELECT game_id, game_date, season, season_year, game_type, home_team, away_team, game_code,
           'team_box' AS source
    FROM played
    UNION ALL
    SELECT game_id, game_date, season, season_year, game_type, home_team, away_team, game_code, 'schedule'
    FROM raw.schedule WHERE game_id NOT IN (SELECT game_id FROM played);

CREATE VIEW raw.game_dates AS
    SELECT DISTINCT game_date, season, season_year
    FROM raw.games
    WHERE game_type IN ('regular_season', 'play_in', 'playoffs', 'cup_final');

CREATE VIEW raw.season_starts AS
    SELECT season_year, min(game_date) AS season_start
    FROM raw.games WHERE game_type = 'regular_season'
    GROUP BY season_year;
