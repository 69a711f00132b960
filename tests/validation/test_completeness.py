"""Acceptance 3: delete two players from one team-game and the completeness check names that game and team."""

from __future__ import annotations

import pytest

from nbaprops.audit import run_validation
from nbaprops.warehouse import connect
from tests.validation.helpers import require_declared

pytestmark = pytest.mark.realdata

GAME = "0022400500"


def _delete_two_scorers(db, table: str, source_filter: str) -> tuple[str, str]:
    con = connect(db)
    game_id, team = con.execute(
        f"SELECT game_id, team FROM {table} WHERE game_id = ? AND pts > 0 AND {source_filter} LIMIT 1", [GAME]
    ).fetchone()
    con.execute(
        f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE game_id = ? AND team = ? AND pts > 0 "
        f"AND {source_filter} ORDER BY pts LIMIT 2)",
        [game_id, team],
    )
    con.close()
    return game_id, team


def _completeness(db, table: str):
    con = connect(db, read_only=True)
    try:
        return next(r for r in run_validation(con, tables=[table]) if r.name == "completeness")
    finally:
        con.close()


def test_complete_corpus_passes(corpus):
    result = next(r for r in run_validation(corpus, tables=["raw.player_boxscores"]) if r.name == "completeness")
    assert result.status == "pass", result.message


@pytest.mark.parametrize(
    ("table", "source_filter"),
    [("raw.player_boxscores", "source = 'bbref_box'"), ("analytics.player_game_summary", "TRUE")],
)
def test_two_missing_players_name_the_game_and_team(request, table, source_filter):
    if table.startswith("analytics"):
        require_declared(table, "analytics.team_offense_game_summary")
    db = request.getfixturevalue("built_copy_path" if table.startswith("analytics") else "corpus_copy_path")
    game_id, team = _delete_two_scorers(db, table, source_filter)
    result = _completeness(db, table)
    assert result.blocks
    assert [(b["game_id"], b["team"]) for b in result.details["incomplete"]] == [(game_id, team)]
    assert f"{game_id} {team}" in result.message and "pts: players" in result.message
