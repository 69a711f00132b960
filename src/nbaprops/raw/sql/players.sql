-- Rebuild the player registry. Runs inside one transaction (see raw/players.py).
CREATE OR REPLACE TEMP TABLE id_votes AS
SELECT b.bbref_player_id, n.player_id, count(*) AS votes
FROM raw.player_boxscores b
JOIN raw.player_boxscores n
  ON n.source = 'nba_gamelog' AND n.game_id = b.game_id AND n.team = b.team
 AND n.pts = b.pts AND n.reb = b.reb AND n.ast = b.ast AND n.stl = b.stl
 AND abs(TRY_CAST(split_part(b.minutes, ':', 1) AS DOUBLE) + TRY_CAST(split_part(b.minutes, ':', 2) AS DOUBLE) / 60
         - TRY_CAST(n.minutes AS DOUBLE)) <= 1
WHERE b.source = 'bbref_box' AND b.dnp_reason IS NULL
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE id_links AS
SELECT bbref_player_id, arg_max(player_id, votes) AS player_id, 'box_match' AS resolved_by
FROM id_votes
GROUP BY bbref_player_id
HAVING max(votes) * 2 > sum(votes);

-- Leftovers: same normalized name on the same team in the same season, when exactly one NBA id fits.
INSERT INTO id_links
SELECT b.bbref_player_id, min(n.player_id), 'name_match'
FROM (SELECT DISTINCT bbref_player_id, player_lookup, team, season FROM raw.player_boxscores
      WHERE source = 'bbref_box' AND bbref_player_id NOT IN (SELECT bbref_player_id FROM id_links)) b
JOIN (SELECT DISTINCT player_id, player_lookup, team, season FROM raw.player_boxscores
      WHERE source = 'nba_gamelog') n USING (player_lookup, team, season)
GROUP BY b.bbref_player_id
HAVING count(DISTINCT n.player_id) = 1;

INSERT INTO id_links
SELECT DISTINCT b.bbref_player_id, a.player_id, 'alias'
FROM raw.player_boxscores b JOIN alias_names a USING (player_lookup)
WHERE b.source = 'bbref_box' AND b.bbref_player_id NOT IN (SELECT bbref_player_id FROM id_links);

UPDATE raw.player_boxscores b SET player_id = l.player_id
FROM id_links l
WHERE b.source = 'bbref_box' AND b.bbref_player_id = l.bbref_player_id
  AND b.player_id IS DISTINCT FROM l.player_id;
UPDATE raw.player_boxscores SET player_id = NULL
WHERE source = 'bbref_box' AND player_id IS NOT NULL
  AND bbref_player_id NOT IN (SELECT bbref_player_id FROM id_links);

DELETE FROM raw.player_names;
INSERT INTO raw.player_names
SELECT DISTINCT player_lookup, player_id, source FROM (
    SELECT player_lookup, player_id, source FROM raw.player_boxscores WHERE player_id IS NOT NULL
    UNION ALL
    SELECT player_lookup(player_name), player_id, 'shots' FROM raw.shots WHERE player_name IS NOT NULL
    UNION ALL
    SELECT player_lookup, player_id, 'alias' FROM alias_names
);

DELETE FROM raw.players;
INSERT INTO raw.players
WITH named AS (
    SELECT player_id, player_name, game_date, source FROM raw.player_boxscores WHERE player_id IS NOT NULL
    UNION ALL
    SELECT player_id, player_name, game_date, 'shots' FROM raw.shots
), latest AS (
    -- The name NBA.com uses most recently is the display name.
    SELECT player_id, arg_max(player_name, (source <> 'bbref_box', game_date)) AS player_name
    FROM named GROUP BY player_id
)
SELECT l.player_id, l.player_name, player_lookup(l.player_name), k.bbref_player_id,
       coalesce(k.resolved_by, 'nba')
FROM latest l
LEFT JOIN (SELECT player_id, min(bbref_player_id) AS bbref_player_id, min(resolved_by) AS resolved_by
           FROM id_links GROUP BY player_id) k USING (player_id);
