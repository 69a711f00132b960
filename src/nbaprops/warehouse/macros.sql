-- SQL macros: code, not schema. They are (re)created as temporary macros on every connection
-- (nbaprops.warehouse.connection), so a changed macro takes effect at once in every warehouse, old or new, and a
-- transform's fingerprint includes this file, so the partitions computed with the old macro become stale.

-- SQL twins of nbaprops.calendar and nbaprops.names; tests hold each pair to the same answers.
CREATE OR REPLACE TEMP MACRO player_lookup(name) AS regexp_replace(lower(strip_accents(name)), '[^a-z0-9]', '', 'g');
CREATE OR REPLACE TEMP MACRO game_code(d, away, home) AS strftime(d, '%Y%m%d') || '_' || away || '_' || home;
CREATE OR REPLACE TEMP MACRO season_year_of(d) AS CASE WHEN month(d) >= 7 THEN year(d) ELSE year(d) - 1 END;
CREATE OR REPLACE TEMP MACRO season_label(y) AS y::VARCHAR || '-' || lpad(((y + 1) % 100)::VARCHAR, 2, '0');
CREATE OR REPLACE TEMP MACRO game_type_of(gid) AS CASE substr(gid, 1, 3)
    WHEN '001' THEN 'preseason' WHEN '002' THEN 'regular_season' WHEN '003' THEN 'all_star'
    WHEN '004' THEN 'playoffs' WHEN '005' THEN 'play_in' WHEN '006' THEN 'cup_final' END;
CREATE OR REPLACE TEMP MACRO bookmaker_key(name) AS regexp_replace(lower(trim(name)), '[^a-z0-9_]', '', 'g');

-- Macros shared by the phase-3 analytics transforms.

-- Minutes as sources write them (SPEC section 3). SQL twin of nbaprops.analytics.minutes.parse_minutes; a property
-- test holds the pair to the same answers. Surrounding spaces are ignored; '', '-' and NULL mean "no minutes".
-- minutes_error(v) is NULL when v is readable, else the reason; parse_minutes(v) is NULL whenever there is an
-- error, so callers store minutes_error beside it and a bad value is reported, never a silent NULL.
CREATE OR REPLACE TEMP MACRO minutes_error(v) AS CASE
    WHEN v IS NULL OR trim(v) IN ('', '-') THEN NULL
    WHEN regexp_full_match(trim(v), '[0-9]+:[0-9]{2}') THEN
        CASE WHEN CAST(split_part(trim(v), ':', 2) AS INTEGER) >= 60
             THEN 'seconds out of range 0-59 in minutes ' || v END
    WHEN regexp_full_match(trim(v), 'PT([0-9]+M)?([0-9]+(\.[0-9]+)?S)?') AND trim(v) <> 'PT' THEN
        CASE WHEN coalesce(CAST(nullif(regexp_extract(trim(v), '([0-9.]+)S', 1), '') AS DOUBLE), 0) >= 60
             THEN 'seconds out of range 0-59 in minutes ' || v END
    WHEN regexp_full_match(trim(v), '[0-9]+(\.[0-9]+)?') THEN NULL
    ELSE 'unreadable minutes ' || v
END;

CREATE OR REPLACE TEMP MACRO parse_minutes(v) AS CASE
    WHEN minutes_error(v) IS NOT NULL OR v IS NULL OR trim(v) IN ('', '-') THEN NULL
    WHEN contains(v, ':') THEN
        CAST(split_part(trim(v), ':', 1) AS DOUBLE) + CAST(split_part(trim(v), ':', 2) AS DOUBLE) / 60
    WHEN starts_with(trim(v), 'PT') THEN
        coalesce(CAST(nullif(regexp_extract(trim(v), '([0-9]+)M', 1), '') AS DOUBLE), 0)
        + coalesce(CAST(nullif(regexp_extract(trim(v), '([0-9.]+)S', 1), '') AS DOUBLE), 0) / 60
    ELSE CAST(trim(v) AS DOUBLE)
END;

-- The corpus's played rule (data README): a box-score row was played when it gives no DNP reason, whatever its
-- minutes (a few Basketball-Reference rows show 0:00 with points or a plus-minus). NBA.com game logs list only the
-- players who took the floor and carry no reason, so their rows are played. analytics.player_game_summary.status is
-- the one column every later phase reads; nothing else decides who played.
CREATE OR REPLACE TEMP MACRO player_status(dnp_reason) AS CASE
    WHEN coalesce(trim(dnp_reason), '') = '' THEN 'active'
    WHEN dnp_reason = 'Did Not Play' THEN 'dnp'
    ELSE 'inactive'
END;

-- One team's possessions in the standard two-team estimate (SPEC section 3; Basketball-Reference / Dean Oliver):
-- FGA + 0.4*FTA - 1.07 * OREB/(OREB + opponent DREB) * missed FG + TOV. A game's possessions, the same for both
-- teams, are the mean of the two teams' estimates. NULL when any input is NULL (sources without splits).
CREATE OR REPLACE TEMP MACRO possession_estimate(fga, fgm, fta, oreb, opp_dreb, tov) AS
    CAST(fga + 0.4 * fta - 1.07 * (oreb / nullif(oreb + opp_dreb, 0)) * (fga - fgm) + tov AS DOUBLE);

-- A team plays 240 minutes plus 25 per overtime (5 players x 5 minutes). Player minutes are rounded by the sources
-- (bbref drops seconds here and there, NBA.com game logs give whole minutes), so their sum is snapped to the nearest
-- valid total. NULL stays NULL.
CREATE OR REPLACE TEMP MACRO team_minutes_of(player_minutes_sum) AS
    240 + 25 * greatest(0, round((player_minutes_sum - 240) / 25));

-- Implied probability of American odds (-110 -> 0.524); used to find a bookmaker's main (most balanced) line.
CREATE OR REPLACE TEMP MACRO implied_probability(american) AS CASE
    WHEN american < 0 THEN -american / (100 - american)
    WHEN american > 0 THEN 100 / (american + 100)
END;

-- Every bookmaker snapshot of a prop market taken before tip-off, reduced to that bookmaker's main line (the one
-- whose over and under prices are closest to even; alternate lines are dropped), with the player resolved to an NBA
-- person id through raw.player_names (names that map to several ids stay unresolved) and the bookmaker's rank in
-- `priority` (a list of bookmaker keys, first is best; unlisted books rank after every listed one). Only games dated
-- in [first_date, last_date]: the range goes in before the ranking, because a caller's filter on the result cannot
-- be pushed below it, and every batch would rank every snapshot of every season (the cost of a batch growing with
-- the history: docs/benchmarks.md). A game's snapshots all carry the game's date.
CREATE OR REPLACE TEMP MACRO prop_line_snapshots(market_name, priority, first_date, last_date) AS TABLE
WITH ids AS (
    SELECT player_lookup, min(player_id) AS player_id
    FROM raw.player_names
    GROUP BY player_lookup
    HAVING count(DISTINCT player_id) = 1
)
SELECT p.game_id, ids.player_id, p.game_date, p.bookmaker,
       coalesce(nullif(list_position(priority, p.bookmaker), 0), 1000) AS bookmaker_rank,
       p.snapshot_time_utc, p.commence_time_utc, p.line, p.over_price, p.under_price
FROM raw.prop_lines p
JOIN ids USING (player_lookup)
WHERE p.market = market_name
  AND p.game_id IS NOT NULL
  AND p.game_date BETWEEN first_date AND last_date
  AND (p.commence_time_utc IS NULL OR p.snapshot_time_utc IS NULL OR p.snapshot_time_utc < p.commence_time_utc)
QUALIFY row_number() OVER (
    PARTITION BY p.game_id, ids.player_id, p.bookmaker, p.snapshot_time_utc
    ORDER BY abs(implied_probability(p.over_price) - implied_probability(p.under_price)) NULLS LAST, p.line
) = 1;

-- Team totals vs the sum of the team's players for one stat: NULL when they agree or either side lacks the stat
-- (NBA.com game logs have no shooting splits), else "stat players vs team".
CREATE OR REPLACE TEMP MACRO stat_mismatch(stat, players_sum, team_total) AS CASE
    WHEN players_sum <> team_total THEN stat || ' ' || players_sum || ' vs ' || team_total
END;

-- Which source provides a team-game's totals, declared once for phase 3 (player usage, team summaries): the richest
-- raw.team_boxscores row of (game_id, team), whatever its source: one with the shooting splits and turnovers first
-- (NBA.com's team box file, the live game log and box score have them; the archive game log does not), then NBA.com's
-- full team box before the game log, then file order.
CREATE OR REPLACE TEMP MACRO team_totals(start_date, end_date) AS TABLE
SELECT * FROM raw.team_boxscores
WHERE game_date BETWEEN start_date AND end_date
QUALIFY row_number() OVER (
    PARTITION BY game_id, team
    ORDER BY (fgm IS NULL OR fga IS NULL OR fta IS NULL OR oreb IS NULL OR dreb IS NULL OR tov IS NULL),
        source <> 'nba_team_box', source_file, source_line
) = 1;

-- "The" line of a player-game (SPEC section 4): the best-ranked bookmaker with a snapshot before tip-off, its
-- opening (earliest) and latest line before tip-off, and how many snapshots it had; games dated in
-- [first_date, last_date] (see prop_line_snapshots).
CREATE OR REPLACE TEMP MACRO prop_line_before_tipoff(market_name, priority, first_date, last_date) AS TABLE
SELECT game_id, player_id, any_value(game_date) AS game_date, bookmaker AS line_bookmaker,
       arg_min(line, snapshot_time_utc) AS opening_line, arg_max(line, snapshot_time_utc) AS latest_line,
       count(*) AS snapshots
FROM prop_line_snapshots(market_name, priority, first_date, last_date)
GROUP BY game_id, player_id, bookmaker, bookmaker_rank
QUALIFY row_number() OVER (PARTITION BY game_id, player_id ORDER BY bookmaker_rank, bookmaker) = 1;

-- Summing doubles depends on the order of the additions, which parallel aggregation and window segment trees do not
-- fix: sums and averages of non-integer values go through DECIMAL so re-running a range gives identical rows.
CREATE OR REPLACE TEMP MACRO fixed_point(x) AS CAST(x AS DECIMAL(38, 12));

-- A player's 3P% shrunk toward the league's: (3PM + k * league 3P%) / (3PA + k), k = 250 attempts of league
-- shooting. k was chosen on 2023-24 and 2024-25 only (season-to-date before each game, shrunk toward the league's
-- season-to-date 3P%, scored by the binomial log loss of the game's makes per attempt): k=20 0.6582/0.6550,
-- 50 0.6571/0.6538, 100 0.6566/0.6533, 200 0.6564/0.6531, 250 0.6563/0.6531, 300 0.6563/0.6531, 400 0.6563/0.6531
-- (3P% is mostly noise over a season's few hundred attempts). NULL when his attempts are unknown (no splits);
-- the league's 3P% alone when he has attempted none. The league's 3P%: precompute/form_windows.py LEAGUE_FG3_PCT.
CREATE OR REPLACE TEMP MACRO fg3_pct_shrunk(fg3m, fg3a, league_pct) AS
    (fg3m + 250 * league_pct) / (fg3a + 250);
