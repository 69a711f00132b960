"""Issue 13: a process killed (SIGKILL) between a file's commit and the player-identity rebuild is repaired by the
next ingest, and `status` and `validate` say identity is stale meanwhile (it used to stay stale until someone ran
--force)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

import pytest
from typer.testing import CliRunner

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


# The ingest runs in a child process whose identity rebuild is replaced by a SIGKILL of itself: the process dies
# exactly after the files' transactions committed and before the rebuild began.
KILLED_BEFORE_REBUILD = """
import os, signal, sys
import nbaprops.raw.ingest as ingest
from nbaprops.warehouse import connect
ingest.resolve_players = lambda con: os.kill(os.getpid(), signal.SIGKILL)
ingest.ingest_archive(connect(sys.argv[1]), sys.argv[2])
"""


def _identity_check(con):
    return next(r for r in run_checks(con, tables=["raw.player_boxscores"]) if r.name == "identity")


def test_next_ingest_rebuilds_identity_after_a_kill_between_the_steps(tmp_path):
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
    killed = subprocess.run([sys.executable, "-c", KILLED_BEFORE_REBUILD, str(db), str(root)], check=False)
    assert killed.returncode == -signal.SIGKILL
    con = connect(db)
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
