"""Issue 13: a crash between a file's commit and the player-identity rebuild is repaired by the next ingest, and
`status` says identity is stale meanwhile (it used to stay stale until someone ran --force)."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import nbaprops.raw.ingest as ingest_module
from nbaprops.cli import app
from nbaprops.raw.ingest import ingest_archive
from nbaprops.raw.players import identity_stale
from nbaprops.validation import run_checks
from nbaprops.warehouse import connect
from tests.conftest import require_corpus

pytestmark = pytest.mark.realdata
FILES = (
    "team/team_game_logs_2024-25.csv",
    "box/bbref_player_box_2024-25.csv.gz",
    "gamelogs/nba_player_game_logs_2024-25.csv.gz",
)
IDENTITY = (
    "SELECT (SELECT count(player_id) FROM raw.player_boxscores WHERE source = 'bbref_box'), "
    "(SELECT sum(hash(p)::HUGEINT) FROM raw.players p), "
    "(SELECT sum(hash(b.source_player_id, b.player_id)::HUGEINT) FROM raw.player_boxscores b), "
    "(SELECT count(*) FROM raw.active_lists)"
)


class Crash(RuntimeError):
    pass


def _crash(con):
    raise Crash("killed between the file commit and the identity rebuild")


def _identity_check(con):
    return next(r for r in run_checks(con, tables=["raw.player_boxscores"]) if r.name == "identity")


def test_next_ingest_rebuilds_identity_after_a_crash_between_the_steps(tmp_path, monkeypatch):
    corpus = require_corpus()
    root = tmp_path / "archive"
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / rel, root / rel)

    clean = connect(tmp_path / "clean.duckdb")
    ingest_archive(clean, root)
    expected = clean.execute(IDENTITY).fetchone()
    clean.close()
    assert expected[0] > 30_000  # the oracle: almost every bbref row resolved

    db = tmp_path / "w.duckdb"
    con = connect(db)
    with monkeypatch.context() as patched:
        patched.setattr(ingest_module, "resolve_players", _crash)
        with pytest.raises(Crash):
            ingest_archive(con, root)
    assert con.execute("SELECT count(player_id) FROM raw.player_boxscores WHERE source = 'bbref_box'").fetchone() == (
        0,
    )
    assert identity_stale(con) == 3
    check = _identity_check(con)
    assert check.status == "fail" and "stale: 3 file(s)" in check.message
    assert check.suggested_command == "nbaprops ingest archive"  # the fix it prints is the one that works below
    con.close()

    status = CliRunner().invoke(app, ["--db", str(db), "status"], env={"COLUMNS": "300"})
    assert status.exit_code == 0, status.output
    assert "Player identity is stale: 3 file(s) were loaded after the last identity rebuild" in status.output

    con = connect(db)
    summary = ingest_archive(con, root)
    assert {f.status for f in summary.files} == {"unchanged"}
    assert summary.identity is not None
    assert con.execute(IDENTITY).fetchone() == expected
    assert identity_stale(con) == 0
    assert _identity_check(con).status == "pass"
    # and once repaired, an unchanged archive does not rebuild again
    assert ingest_archive(con, root).identity is None
    con.close()
