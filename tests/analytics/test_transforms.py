"""The five analytics transforms as the pipeline sees them: declarations that match their SQL, no hard-coded dates,
and re-running a range replacing exactly that range (acceptance 7), also through `nbaprops run-table`."""

import re
import shutil

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.pipeline.registry import discover, topological_order
from nbaprops.warehouse import connect
from tests.conftest import run_analytics

TABLES = {
    "analytics.player_game_summary",
    "analytics.team_offense_game_summary",
    "analytics.team_defense_game_summary",
    "analytics.upcoming_team_game_context",
    "analytics.upcoming_player_game_context",
}
# Tables read through the table macros (warehouse/macros.sql).
MACRO_INPUTS = {
    "prop_line_before_tipoff": {"raw.prop_lines", "raw.player_names"},
    "team_totals": {"raw.team_boxscores"},
}
TABLE_REFERENCE = re.compile(r"\b((?:raw|analytics)\.[a-z_]+)\b")


def _analytics():
    return {name: t for name, t in discover().items() if t.phase == "analytics"}


def test_the_five_tables_are_declared_with_the_tables_their_sql_reads():
    transforms = _analytics()
    assert set(transforms) == TABLES
    for name, t in transforms.items():
        sql = re.sub(r"--[^\n]*", "", t.sql)
        read = set(TABLE_REFERENCE.findall(sql)) - {name}
        for macro, tables in MACRO_INPUTS.items():
            if macro in sql:
                read |= tables
        assert read == set(t.inputs), name
        assert t.partition_column == "game_date" and t.phase == "analytics"
        assert t.sql_file.stem == name.split(".")[1]
        assert not re.search(r"'\d{4}-\d\d-\d\d'", sql), f"{name} hard-codes a date"
        assert {"$start_date", "$end_date"} <= set(re.findall(r"\$[a-z_]+", sql)), name


def test_dependency_order_puts_players_before_teams_before_contexts():
    order = [n for n in topological_order(discover()) if n in TABLES]
    assert order.index("analytics.player_game_summary") < order.index("analytics.team_offense_game_summary")
    assert order.index("analytics.team_offense_game_summary") < order.index("analytics.team_defense_game_summary")
    assert order.index("analytics.upcoming_team_game_context") < order.index("analytics.upcoming_player_game_context")


def _contents(con):
    return {t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} x").fetchone() for t in sorted(TABLES)}


@pytest.mark.realdata
def test_running_a_range_twice_gives_identical_content(analytics_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(analytics_db, copy)
    con = connect(copy)
    before = _contents(con)
    rows = run_analytics(con, "2025-01-01", "2025-01-31")
    assert all(n > 0 for n in rows.values()), rows
    assert _contents(con) == before
    con.close()


@pytest.mark.realdata
def test_run_table_command_is_idempotent(analytics_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(analytics_db, copy)
    con = connect(copy)
    before = _contents(con)
    con.close()
    args = ["--db", str(copy), "run-table", "analytics.player_game_summary", "--start-date", "2024-11-01"]
    for _ in range(2):
        result = CliRunner().invoke(app, [*args, "--end-date", "2024-11-07"])
        assert result.exit_code == 0, result.output
        assert (
            "analytics.player_game_summary" in result.output and "rows for 6 dates" in result.output
        )  # no games on election day
    con = connect(copy, read_only=True)
    assert _contents(con) == before
    con.close()
