"""Gates run range checks (issue 12, "Bad values pass"): a backfill whose input holds a usage of 500% stops at the
gate instead of averaging it into the daily cache, and the fixes `validate` then prints - recompute the bad input,
retry the failed partitions (`--retry-failed`: a plain backfill does not retry them) - make `validate` pass."""

from __future__ import annotations

import datetime as dt
import json
import shlex

import pytest

from nbaprops.warehouse import connect
from tests.validation.helpers import cli, copy_db

pytestmark = pytest.mark.realdata

SUMMARY, CACHE = "analytics.player_game_summary", "precompute.player_daily_cache"
BAD_DAY, LATER = dt.date(2025, 1, 15), dt.date(2025, 1, 17)
SEASON = ("--start-date", "2024-10-22", "--end-date", "2025-06-30")


def _validate(db, table: str) -> tuple[int, dict]:
    result = cli(db, "validate", "--tables", table, "--format", "json", *SEASON)
    return result.exit_code, json.loads(result.output)


def _fixes(payload: dict) -> list[str]:
    return list(dict.fromkeys(r["suggested_command"] for r in payload["results"] if r["status"] == "fail"))


def test_usage_of_500_percent_stops_at_the_gate_and_the_printed_fixes_work(built_db, tmp_path):
    db = copy_db(built_db, tmp_path)
    con = connect(db)
    player = con.execute(
        f"UPDATE {SUMMARY} SET usage_rate = 500 WHERE rowid = (SELECT min(s.rowid) FROM {SUMMARY} s "
        f"JOIN {CACHE} c ON c.player_id = s.player_id AND c.cache_date = ? "
        "WHERE s.game_date = ? AND s.usage_rate > 10 AND c.usage_rate_last_10 IS NOT NULL) RETURNING player_id",
        [LATER, BAD_DAY],
    ).fetchone()[0]
    cached = con.execute(f"SELECT * FROM {CACHE} WHERE cache_date = ? ORDER BY ALL", [LATER]).fetchall()
    con.close()

    run = cli(db, "backfill", "--tables", CACHE, "--dates", str(LATER), "--no-resume")
    assert run.exit_code == 1, run.output
    assert "gate" in run.output and SUMMARY in run.output and "range:usage_rate" in run.output
    con = connect(db, read_only=True)
    state = con.execute(
        "SELECT state FROM ops.partitions WHERE table_name = ? AND partition_date = ?", [CACHE, LATER]
    ).fetchone()[0]
    usage_l10 = con.execute(
        f"SELECT max(usage_rate_last_10) FROM {CACHE} WHERE cache_date = ? AND player_id = ?", [LATER, player]
    ).fetchone()[0]
    assert con.execute(f"SELECT * FROM {CACHE} WHERE cache_date = ? ORDER BY ALL", [LATER]).fetchall() == cached
    con.close()
    assert state == "failed" and usage_l10 is not None and usage_l10 < 100  # the 500% never reached the cache

    code, summary = _validate(db, SUMMARY)
    assert code == 1
    (fix_summary,) = _fixes(summary)
    code, cache = _validate(db, CACHE)
    assert code == 1
    (fix_cache,) = _fixes(cache)
    assert fix_cache == f"nbaprops backfill --tables {CACHE} --dates {LATER} --retry-failed"

    assert cli(db, *shlex.split(fix_summary)[1:]).exit_code == 0
    plain = cli(db, "backfill", "--tables", CACHE, "--dates", str(LATER))  # without the flag: nothing to do
    assert plain.exit_code == 0 and _validate(db, CACHE)[0] == 1
    fixed = cli(db, *shlex.split(fix_cache)[1:])
    assert fixed.exit_code == 0, fixed.output
    assert _validate(db, SUMMARY)[0] == 0
    assert _validate(db, CACHE)[0] == 0
