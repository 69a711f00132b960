"""The Python API (nbaprops.open): the documented example runs as written; tables, SQL and macros return Arrow;
picks and the backtest are what the command line prints."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import nbaprops
from nbaprops.api import MissingExtra
from nbaprops.cli import app
from nbaprops.features.markets import MARKETS, POINTS
from nbaprops.names import player_lookup
from nbaprops.warehouse.dictionary import UnknownTable

DOC = Path(__file__).resolve().parents[1] / "docs" / "python-api.md"
DAY = dt.date(2025, 1, 15)


@pytest.fixture
def wh(built_db):
    with nbaprops.open(built_db) as warehouse:
        yield warehouse


def _count(db: Path, sql: str, params: list) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchone()[0]


def test_the_documented_example_runs_against_a_built_warehouse(built_db, monkeypatch, tmp_path, capsys):
    """The doc's only python block, executed as written; its backtest is the report `nbaprops backtest` prints."""
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1, "docs/python-api.md should hold exactly one python example"
    monkeypatch.chdir(tmp_path)  # no nbaprops.toml of the developer's: the example uses the db setting
    monkeypatch.setenv("NBAPROPS_DB", str(built_db))
    namespace: dict = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    out = capsys.readouterr().out
    games = _count(built_db, "SELECT count(*) FROM analytics.player_game_summary WHERE game_date = ?", [DAY])
    assert f"{games} player-games on 2025-01-15" in out
    assert "analytics.player_game_summary" in out  # the tables listing
    report = namespace["report"]
    assert report.to_text() in out and report.counts["evaluated_rows"] > 0


def test_backtest_is_the_cli_backtest(built_db, monkeypatch):
    """The API and the command line call the one backtest with the same arguments and hand back its report as
    it is (the real walk-forward runs in the documented example above; once is enough, it takes minutes)."""
    import nbaprops.models.backtest as backtest
    import nbaprops.models.report as report

    calls = []

    class Recorded:
        def __init__(self) -> None:
            self.number = len(calls)

        def to_text(self) -> str:
            return f"report {self.number}"

        def to_dict(self) -> dict:
            return {"report": self.number}

    def recording(con, start, end, **options):
        calls.append((start, end, options))
        return Recorded()

    monkeypatch.setattr(backtest, "run_backtest", recording)
    monkeypatch.setattr(report, "store_backtest", lambda con, rep: 0)  # the CLI stores its result; not this stand-in
    with nbaprops.open(built_db) as wh:
        first = wh.backtest("2025-11-01", dt.date(2025, 11, 7), availability="oracle")
        second = wh.backtest("2025-11-01", "2025-11-07")
    assert (type(first), first.number, second.number) == (Recorded, 1, 2)
    args = ["--db", str(built_db), "backtest", "--start-date", "2025-11-01", "--end-date", "2025-11-07"]
    for availability, number in (("oracle", 3), ("live", 4)):
        printed = CliRunner().invoke(app, [*args, "--availability", availability])
        assert printed.exit_code == 0 and f"report {number}" in printed.output, printed.output
    assert calls[:2] == calls[2:]
    assert calls[1] == (dt.date(2025, 11, 1), dt.date(2025, 11, 7),
                        {"retrain": "monthly", "availability": "live", "market": POINTS})  # fmt: skip
    with nbaprops.open(built_db) as wh:
        wh.backtest("2025-11-01", "2025-11-07", market="threes")
        with pytest.raises(ValueError, match="unknown market 'steals'"):
            wh.backtest("2025-11-01", "2025-11-07", market="steals")
    assert calls[-1][2]["market"] is MARKETS["threes"]


def test_table_returns_exactly_the_rows_of_the_date_range(wh, built_db):
    start, end = dt.date(2025, 1, 10), dt.date(2025, 1, 12)
    rows = wh.table("analytics.player_game_summary", start=start, end=end)
    assert isinstance(rows.arrow, pa.Table)
    expected = _count(
        built_db, "SELECT count(*) FROM analytics.player_game_summary WHERE game_date BETWEEN ? AND ?", [start, end]
    )
    assert rows.num_rows == len(rows) == expected > 0
    assert {d for d in rows.column("game_date").to_pylist()} == {start, dt.date(2025, 1, 11), end}
    # other tables' date columns come from their declarations
    cache = wh.table("precompute.player_daily_cache", start=DAY, end=DAY)
    assert set(cache.column("cache_date").to_pylist()) == {DAY}
    assert set(wh.table("raw.shots", start="2025-01-15", end="2025-01-15").column("game_date").to_pylist()) == {DAY}
    everything = wh.table("raw.teams")
    assert everything.num_rows == 30 and "bbref_code" in everything.column_names


def test_table_rejects_what_it_cannot_answer(wh):
    with pytest.raises(UnknownTable, match=r"no table analytics\.nope .*analytics\.player_game_summary"):
        wh.table("analytics.nope")
    with pytest.raises(ValueError, match=r"raw\.teams has no date column"):
        wh.table("raw.teams", start=DAY)
    with pytest.raises(ValueError, match="after end"):
        wh.table("analytics.player_game_summary", start="2025-02-01", end="2025-01-01")
    with pytest.raises(ValueError, match="start must be a date or YYYY-MM-DD, not '2025-1-1'"):
        wh.table("analytics.player_game_summary", start="2025-1-1")


def test_sql_takes_parameters_and_has_the_macros(wh):
    name = "Nikola Jokić"
    got = wh.sql("SELECT player_lookup(?) AS k, season_year_of(DATE '2025-01-15') AS y", [name]).to_pylist()
    assert got == [{"k": player_lookup(name), "y": 2024}]
    named = wh.sql("SELECT count(*) AS n FROM raw.teams WHERE team = $team", {"team": "BOS"})
    assert named.to_pylist() == [{"n": 1}]


def test_conversions_go_through_the_extras(wh, monkeypatch):
    teams = wh.table("raw.teams")
    frame = teams.to_pandas()
    assert list(frame.columns) == teams.column_names and len(frame) == 30
    polars_frame = teams.to_polars()
    assert polars_frame.columns == teams.column_names and polars_frame.height == 30
    for module in ("pandas", "polars"):
        monkeypatch.setitem(sys.modules, module, None)  # as if not installed
        with pytest.raises(MissingExtra, match=rf"pip install 'nbaprops\[{module}\]'"):
            getattr(teams, f"to_{module}")()


def test_open_defaults_to_the_db_setting_and_is_read_only(built_db, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBAPROPS_DB", str(built_db))
    with nbaprops.open() as wh:
        assert wh.path == built_db
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            wh.sql("CREATE TABLE analytics.scratch (a INTEGER)")
    with pytest.raises(duckdb.ConnectionException):
        wh.sql("SELECT 1")  # closed on leaving the block
    with pytest.raises(FileNotFoundError, match=r"no warehouse at .*none\.duckdb"):
        nbaprops.open(tmp_path / "none.duckdb")


def test_tables_is_the_data_dictionary(wh, built_db):
    listing = {row["table"]: row for row in wh.tables().to_pylist()}
    assert listing["raw.teams"]["rows"] == 30
    assert listing["analytics.player_game_summary"]["rows"] == _count(
        built_db, "SELECT count(*) FROM analytics.player_game_summary", []
    )
    assert listing["raw.teams"]["description"] == "NBA teams by tricode"


def _writable_copy(built_db: Path, tmp_path: Path) -> Path:
    """`predict` needs a writable file (it brings the table up to date first): give it a copy."""
    import shutil

    copy = tmp_path / "w.duckdb"
    shutil.copy(built_db, copy)
    return copy


def test_picks_are_what_predict_prints(built_db, tmp_path):
    copy = _writable_copy(built_db, tmp_path)
    day = "2025-11-12"
    with nbaprops.open(copy) as wh:
        picks = wh.picks(day)
    assert len(picks) > 100 and sum(p["line"] is not None for p in picks) > 100  # real lines on that date
    printed = CliRunner().invoke(app, ["--db", str(copy), "predict", "--date", day, "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == json.loads(json.dumps(picks, default=str))


def test_picks_of_one_market_are_what_predict_prints_for_it(built_db, tmp_path):
    copy = _writable_copy(built_db, tmp_path)
    day = "2025-11-12"
    with nbaprops.open(copy) as wh:
        every = wh.picks(day)
        points = wh.picks(day, "points")
        with pytest.raises(ValueError, match="unknown market 'steals'; known: points, pra"):
            wh.picks(day, "steals")
    assert points and {p["market"] for p in points} == {"points"}
    assert [p for p in every if p["market"] == "points"] == points  # one market's sheet is that market's rows
    printed = CliRunner().invoke(
        app, ["--db", str(copy), "predict", "--date", day, "--format", "json", "--market", "points"]
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout) == json.loads(json.dumps(points, default=str))
