"""Phase 3 on a game known only from live payloads: the captured box score and play-by-play of 0022400561, fetched
from a local server into an empty warehouse. Team totals and zones come from whichever source has them (macro
team_totals; the game's raw.shots), so every played player gets usage, TS% and zones that add up to his FGA."""

import datetime as dt

from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch
from nbaprops.raw.live import fetch_and_load
from nbaprops.sources import nba_boxscore, nba_cdn
from nbaprops.sources.nba_boxscore import BoxGame
from tests.sources.local_server import body, serving
from tests.sources.samples import BOX_GAME, live_settings, offline_client, pbp

DAY = dt.date(2025, 1, 15)


def test_a_live_only_game_has_usage_ts_and_zones_for_every_played_player(warehouse, tmp_path):
    with serving() as server:
        server.override(f"playbyplay_{BOX_GAME}.json", body(pbp(BOX_GAME)))
        settings = live_settings(tmp_path, nba_cdn_url=server.base, nba_stats_url=server.base)
        client = offline_client(settings, warehouse)
        requests = (*nba_boxscore.boxscore_requests(settings, BoxGame(BOX_GAME, DAY, "PHI", "NYK")),
                    nba_cdn.playbyplay_request(settings, BOX_GAME, DAY))  # fmt: skip
        results = [fetch_and_load(warehouse, client, r) for r in requests]
        client.close()
    assert [(r.status, r.rows_loaded) for r in results] == [("loaded", 25), ("loaded", 2), ("loaded", 178)]
    transforms = discover()
    for name in ("analytics.player_game_summary", "analytics.team_offense_game_summary"):
        write_batch(warehouse, transforms[name], [DAY], run_id=1, settings=run_parameters(warehouse))
    rows = warehouse.execute(
        "SELECT player_name, status, fga, usage_rate, ts_pct, paint_fga + mid_range_fga + three_fga, quality_tier "
        "FROM analytics.player_game_summary WHERE game_id = ?",
        [BOX_GAME],
    ).fetchall()
    played = [r for r in rows if r[1] == "active"]
    assert len(rows) == 25 and len(played) == 17
    assert [r[0] for r in played if r[3] is None or r[4] is None] == []  # usage and TS% for every played player
    assert all(0 < r[3] < 100 for r in played)
    assert [(r[0], r[2], r[5]) for r in played if r[5] != r[2]] == []  # zone attempts add up to box FGA
    assert {r[6] for r in played} == {"gold"}
    teams = warehouse.execute(
        "SELECT team, source, paint_fga + mid_range_fga + three_fga = fga, possessions IS NOT NULL "
        "FROM analytics.team_offense_game_summary "
        "WHERE game_id = ? ORDER BY team",
        [BOX_GAME],
    ).fetchall()
    assert teams == [("NYK", "nba_team_box", True, True), ("PHI", "nba_team_box", True, True)]
