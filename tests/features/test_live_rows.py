"""Serving equals training on live data: a game known only from live payloads (the captured box score and
play-by-play of 0022400561, served by a local server) feeds its players' next feature rows with usage, TS% and
zones, and the missing-value report, split by box source, shows those rows as live with 0% missing."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.features.defaults import missing_rates
from nbaprops.pipeline.registry import discover, topological_order
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.writer import write_batch
from nbaprops.raw.live import fetch_and_load
from nbaprops.sources import nba_boxscore, nba_cdn
from nbaprops.sources.nba_boxscore import BoxGame
from nbaprops.warehouse import connect
from tests.sources.local_server import body, serving
from tests.sources.samples import BOX_GAME, live_settings, offline_client, pbp

pytestmark = pytest.mark.realdata
DAY = dt.date(2025, 1, 15)
LIVE = "nba_box (live)"
SPLIT_FEATURES = ("usage_rate_last_10", "ts_pct_last_10", "fga_avg_last_10", "fta_avg_last_10", "pct_paint",
                  "pct_mid_range", "pct_three")  # fmt: skip


def test_rows_after_a_live_loaded_game_have_usage_ts_and_zones_and_the_report_says_live(built_db, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    for table in ("raw.player_boxscores", "raw.team_boxscores", "raw.shots"):  # only the live payloads remain
        con.execute(f"DELETE FROM {table} WHERE game_id = ?", [BOX_GAME])
    with serving() as server:
        server.override(f"playbyplay_{BOX_GAME}.json", body(pbp(BOX_GAME)))
        settings = live_settings(tmp_path, nba_cdn_url=server.base, nba_stats_url=server.base)
        client = offline_client(settings, con)
        requests = (*nba_boxscore.boxscore_requests(settings, BoxGame(BOX_GAME, DAY, "PHI", "NYK")),
                    nba_cdn.playbyplay_request(settings, BOX_GAME, DAY))  # fmt: skip
        results = [fetch_and_load(con, client, r) for r in requests]
        client.close()
    assert [(r.status, r.rows_loaded) for r in results] == [("loaded", 25), ("loaded", 2), ("loaded", 178)]
    # the pipeline recomputes the game's date and the week after it, as a daily run would
    days = [d for (d,) in con.execute(
        "SELECT game_date FROM raw.game_dates WHERE game_date BETWEEN ? AND ? ORDER BY 1",
        [DAY, DAY + dt.timedelta(days=7)]).fetchall()]  # fmt: skip
    transforms = discover()
    for name in topological_order(transforms):
        if name.startswith(("analytics.", "precompute.", "features.")):
            write_batch(con, transforms[name], days, run_id=0, settings=run_parameters(con))
    live_game = con.execute(
        "SELECT player_id, source, usage_rate, ts_pct, paint_fga + mid_range_fga + three_fga = fga "
        "FROM analytics.player_game_summary WHERE game_id = ? AND status = 'active'",
        [BOX_GAME],
    ).fetchall()
    assert len(live_game) == 17 and {r[1] for r in live_game} == {"nba_box"}
    assert all(r[2] is not None and r[3] is not None and r[4] for r in live_game)  # the live game itself is rich
    rows = con.execute(
        "SELECT player_id, box_source, " + ", ".join(SPLIT_FEATURES) + " FROM features.ml_feature_store "
        "WHERE game_date > ? AND game_date <= ? AND player_id IN (SELECT unnest(?::BIGINT[])) "
        "QUALIFY row_number() OVER (PARTITION BY player_id ORDER BY game_date) = 1",
        [DAY, days[-1], [r[0] for r in live_game]],
    ).fetchall()
    assert len(rows) >= 14  # nearly every player of the game played again within the week
    assert {r[1] for r in rows} == {LIVE}  # their latest played game is the live one
    assert [r for r in rows if None in r[2:]] == []
    report = {(src, f): (n, share) for s, src, f, n, share in missing_rates(con, "2024-25", "box_source")}
    assert report[(LIVE, "usage_rate_last_10")][0] >= len(rows)
    assert {f: report[(LIVE, f)][1] for f in SPLIT_FEATURES} == dict.fromkeys(SPLIT_FEATURES, 0.0)
    con.close()
    shown = CliRunner().invoke(
        app, ["--db", str(path), "feature-defaults", "--season", "2024-25", "--feature", "usage_rate_last_10",
              "--feature", "pct_paint"], env={"COLUMNS": "200"},
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    live_lines = [line for line in shown.output.splitlines() if LIVE in line]
    assert len(live_lines) == 2 and all(line.rstrip(" │|").endswith("0.0%") for line in live_lines), shown.output
