"""Declarations tell the truth about what a transform's SQL reads.

Every table the SQL names is a declared input; and recomputing a partition after deleting every input row outside
the declared window (its date, its season so far, or everything up to it) gives exactly the stored rows. A
declaration that claims a narrower window than the SQL reads would let the planner call a stale partition fresh.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil

import pytest

from nbaprops.calendar import SeasonCalendar, season_year_of
from nbaprops.pipeline.planner import BackfillRequest, build_plan
from nbaprops.pipeline.registry import discover
from nbaprops.pipeline.runner import execute_plan
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.transform import COMPUTED_ROWS, macro_source
from nbaprops.raw.catalog import CATALOG
from nbaprops.warehouse import connect

TRANSFORMS = discover()
TABLE_REFERENCE = re.compile(r"\b((?:raw|analytics|precompute|features|predictions)\.[a-z_]+)\b")
# One mid-season date of a season with Basketball-Reference rows and one of the NBA.com-only season.
SAMPLE_DATES = (dt.date(2025, 1, 15), dt.date(2025, 11, 19))
# A table with rows on a season's first days only samples those: a bootstrap day of each kind of season.
SAMPLE_DATES_OF = {"features.early_season_features": (dt.date(2024, 10, 30), dt.date(2025, 10, 28))}


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


MACROS = {
    m.group(1): m.group(2)
    for m in re.finditer(
        r"CREATE OR REPLACE TEMP MACRO (\w+)\(.*?\) AS (.*?)(?=CREATE OR REPLACE|\Z)",
        _without_comments(macro_source()),
        re.S,
    )
}


def tables_read(sql: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """Tables named in `sql` or in the bodies of the SQL macros it calls (macros may read tables too)."""
    sql = _without_comments(sql)
    found = set(TABLE_REFERENCE.findall(sql))
    for macro, body in MACROS.items():
        if macro not in seen and re.search(rf"\b{macro}\s*\(", sql):
            found |= tables_read(body, seen | {macro})
    return found


class RecordingConnection:
    """Stands in for a connection and keeps every statement a Python transform runs."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)


def sql_of(transform, con=None) -> str:
    """A SQL transform's SELECT; for a Python transform, every statement its compute runs (on `con`)."""
    if transform.compute is None:
        return transform.sql
    recorder = RecordingConnection(con)
    transform.compute(recorder, [SAMPLE_DATES[0]], run_parameters(con))
    return "\n".join(recorder.statements)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_every_table_the_sql_reads_is_declared(name, built):
    transform = TRANSFORMS[name]
    read = tables_read(sql_of(transform, built)) - {name}
    assert read == set(transform.inputs), f"{name}: SQL reads {sorted(read)}, declares {sorted(transform.inputs)}"


def _outside_window(column: str, lookback: str) -> str:
    """Rows a partition of date $day may not read under `lookback`."""
    if lookback == "same_date":
        return f"{column} <> $day"
    if lookback == "season":
        return f"{column} > $day OR season_year_of({column}) <> season_year_of($day)"
    return f"{column} > $day"


def _prune_outside_declared_windows(con, transform, day: dt.date) -> int:
    """Delete every row of every dated input outside the window the declaration gives it; rows deleted. A raw view
    (raw.games) is replaced by a table of its own rows inside the window, so its merge rules still apply."""
    deleted = 0
    for table in transform.inputs:
        outside = _outside_window(
            TRANSFORMS[table].partition_column if table in TRANSFORMS else CATALOG[table].date_column or "",
            transform.lookback_of(table),
        )
        if table not in TRANSFORMS and CATALOG[table].date_column is None:
            continue
        before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if table in CATALOG and CATALOG[table].is_view:
            con.execute(f"CREATE TEMP TABLE kept AS SELECT * FROM {table} WHERE NOT ({outside})", {"day": day})
            con.execute(f"DROP VIEW {table}")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM kept")
            con.execute("DROP TABLE kept")
        else:
            con.execute(f"DELETE FROM {table} WHERE {outside}", {"day": day})
        deleted += before - con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return deleted


def _first_difference(a: list[tuple], b: list[tuple], columns: list[str]) -> str | None:
    """None when the rows are equal (floats within 1e-9 relative), else what differs first."""
    if len(a) != len(b):
        return f"{len(a)} rows stored, {len(b)} recomputed"
    for x, y in zip(a, b, strict=True):
        for column, u, v in zip(columns, x, y, strict=True):
            same = (
                math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9)
                if isinstance(u, float) and isinstance(v, float)
                else u == v
            )
            if not same:
                return f"{column}: stored {u!r}, recomputed {v!r} (row {x[:3]})"
    return None


@pytest.fixture(scope="module")
def scratch(built_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("reads") / "scratch.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    yield con
    con.close()


@pytest.mark.realdata
@pytest.mark.parametrize(
    ("name", "day"), [(n, d) for n in sorted(TRANSFORMS) for d in SAMPLE_DATES_OF.get(n, SAMPLE_DATES)], ids=str
)
def test_recomputing_from_the_declared_window_alone_gives_the_stored_rows(scratch, name, day):
    transform = TRANSFORMS[name]
    calendar = SeasonCalendar.load(scratch)
    if transform.bootstrap and calendar.is_bootstrap(day):
        pytest.fail(f"{day} is a bootstrap day: pick another sample date")
    pcol, keys = transform.partition_column, ", ".join(transform.keys)
    stored = scratch.execute(f"SELECT * FROM {name} WHERE {pcol} = ? ORDER BY {keys}", [day]).fetchall()
    assert stored, f"{name} has no stored rows on {day}: the sample would prove nothing"
    params = transform.parameters({**run_parameters(scratch), "start_date": day, "end_date": day})
    scratch.execute("BEGIN TRANSACTION")
    try:
        deleted = _prune_outside_declared_windows(scratch, transform, day)
        if transform.compute is not None:
            scratch.register(COMPUTED_ROWS, transform.compute(scratch, [day], run_parameters(scratch)))
        recomputed = scratch.execute(
            f"SELECT * FROM ({transform.sql}) q WHERE q.{pcol} = $start_date ORDER BY {keys}",
            {**params, "start_date": day},
        ).fetchall()
    finally:
        scratch.execute("ROLLBACK")
    if transform.lookback != "history" and season_year_of(day) > 2023:
        assert deleted > 0, f"{name}: nothing lay outside the declared window, so the test proved nothing"
    columns = [r[0] for r in scratch.execute(f"DESCRIBE {name}").fetchall()]
    difference = _first_difference(stored, recomputed, columns)
    assert difference is None, f"{name} on {day} reads outside its declared window: {difference}"


@pytest.mark.realdata
def test_a_box_score_correction_in_one_season_restales_matchup_features_of_the_next(built_db, tmp_path):
    """avg_points_vs_opponent reads every earlier season: correcting a 2024-25 box score must plan and change the
    2025-26 rows of that player against that opponent."""
    path = tmp_path / "w.duckdb"
    shutil.copy(built_db, path)
    con = connect(path)
    player_id, opponent, day_2025 = con.execute(
        """
        SELECT f.player_id, f.opponent, min(f.game_date) FROM features.ml_feature_store f
        JOIN analytics.player_game_summary p
          ON p.player_id = f.player_id AND p.opponent = f.opponent AND p.season = '2024-25' AND p.status = 'active'
        WHERE f.season = '2025-26' AND NOT f.is_bootstrap
        GROUP BY 1, 2 ORDER BY 3, 1 LIMIT 1
        """
    ).fetchone()
    game_id = con.execute(
        "SELECT min(game_id) FROM raw.player_boxscores WHERE player_id = ? AND opponent = ? AND season = '2024-25' "
        "AND dnp_reason IS NULL",
        [player_id, opponent],
    ).fetchone()[0]
    before = con.execute(
        "SELECT avg_points_vs_opponent FROM features.ml_feature_store WHERE player_id = ? AND game_date = ?",
        [player_id, day_2025],
    ).fetchone()[0]
    con.execute(
        "UPDATE raw.player_boxscores SET pts = pts + 40 WHERE player_id = ? AND game_id = ?", [player_id, game_id]
    )
    transforms = discover()
    calendar = SeasonCalendar.load(con)
    request = BackfillRequest(calendar.game_dates[0], calendar.game_dates[-1])
    plan = build_plan(con, transforms, calendar, request)
    features = next(t for t in plan.tables if t.transform.name == "features.ml_feature_store")
    assert day_2025 in features.work, "the 2025-26 matchup row was not planned after a 2024-25 correction"
    summary = execute_plan(con, plan, transforms, calendar, command="tests", batch_days=400)
    assert summary.status == "success"
    after, expected = con.execute(
        """
        SELECT f.avg_points_vs_opponent,
            (SELECT avg(p.pts) FROM analytics.player_game_summary p WHERE p.player_id = f.player_id
               AND p.opponent = f.opponent AND p.status = 'active' AND p.game_date < f.game_date)
        FROM features.ml_feature_store f WHERE f.player_id = ? AND f.game_date = ?
        """,
        [player_id, day_2025],
    ).fetchone()
    assert after == pytest.approx(expected)
    assert after > before
    con.close()
