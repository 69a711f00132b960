"""The report of a warehouse with a stored backtest, made the way a user makes it: `report` says no backtest is
stored and prints the command, that very command runs, then `report` draws it. Shared by the model-section and
browser tests (one backtest and one report per session)."""

from __future__ import annotations

import json
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from nbaprops.features.markets import POINTS
from nbaprops.reports.model import backtest_command
from nbaprops.warehouse import connect
from tests.validation.helpers import cli


@dataclass(frozen=True)
class StoredReport:
    db: Path
    html: Path
    command: str  # what the first report told the user to run
    backtest: dict  # what that command printed with --format json: the oracle the model section must equal
    before: str  # the report before any backtest was stored


@pytest.fixture(scope="session")
def stored_report(built_db, tmp_path_factory) -> StoredReport:
    folder = tmp_path_factory.mktemp("stored-report")
    db = folder / "warehouse.duckdb"
    shutil.copy(built_db, db)
    first = cli(db, "report", "--out", str(folder / "before"))
    assert first.exit_code == 0, first.output
    before = (folder / "before" / "report.html").read_text(encoding="utf-8")
    con = connect(db, read_only=True)
    command = backtest_command(con, POINTS)
    con.close()
    args = shlex.split(command)
    assert args[:3] == ["nbaprops", "--db", str(db)] and args[3] == "backtest", command
    ran = cli(db, *args[3:], "--format", "json")
    assert ran.exit_code == 0, ran.output
    after = cli(db, "report", "--out", str(folder / "after"))
    assert after.exit_code == 0, after.output
    return StoredReport(db, folder / "after" / "report.html", command, json.loads(ran.stdout), before)
