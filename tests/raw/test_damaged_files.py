"""Issue 13: a damaged copy of a real corpus file never replaces the good version already loaded. Each case re-ingests
a generated damage of a file the warehouse holds and asserts the named refusal, exit 1, and that the content of every
raw table is unchanged; `--accept-shrink` applies it and says so in the ledger."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nbaprops.cli import app
from nbaprops.raw.ingest import ingest_archive
from nbaprops.warehouse import connect
from tests.conftest import require_corpus

pytestmark = pytest.mark.realdata
runner = CliRunner()
BOX = "box/bbref_player_box_2024-25.csv.gz"
LINESCORES = "team/linescores_2024-25.csv"
SCHEDULE = "schedule/LeagueSchedule24_25.csv"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, Path]:
    """An archive of three real files and a warehouse that holds them (copy both before changing either)."""
    corpus = require_corpus()
    root = tmp_path_factory.mktemp("archive")
    for rel in (SCHEDULE, LINESCORES, BOX):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / rel, root / rel)
    db = root.parent / "good.duckdb"
    con = connect(db)
    assert not ingest_archive(con, root).failed
    con.close()
    return root, db


@pytest.fixture
def copies(loaded, tmp_path) -> tuple[Path, Path]:
    root, db = loaded
    shutil.copytree(root, tmp_path / "archive")
    shutil.copy(db, tmp_path / "w.duckdb")
    return tmp_path / "archive", tmp_path / "w.duckdb"


def raw_content(db: Path) -> dict[str, tuple[int, int]]:
    """(rows, order-independent content hash) of every raw table."""
    con = connect(db, read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' AND table_type = 'BASE TABLE'"
        ).fetchall()]  # fmt: skip
        return {t: con.execute(f"SELECT count(*), sum(hash(x)::HUGEINT) FROM raw.{t} x").fetchone() for t in tables}
    finally:
        con.close()


def rows_of(db: Path, rel: str, table: str) -> int:
    con = connect(db, read_only=True)
    try:
        return con.execute(f"SELECT count(DISTINCT source_line) FROM {table} WHERE source_file = ?", [rel]).fetchone()[
            0
        ]
    finally:
        con.close()


def truncated_gzip(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def header_only_gzip(path: Path) -> None:
    header = gzip.decompress(path.read_bytes()).split(b"\n", 1)[0]
    path.write_bytes(gzip.compress(header + b"\n"))


def header_only_csv(path: Path) -> None:
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")


def unterminated_quote(path: Path) -> None:
    """Open a quote in a field 80 records before the end: the reader swallows the rest of the file into one field."""
    lines = path.read_bytes().split(b"\n")
    at = len(lines) - 82
    lines[at] = lines[at].replace(b",", b',"', 1)
    path.write_bytes(b"\n".join(lines))


CASES = [
    pytest.param(
        BOX, "raw.player_boxscores", truncated_gzip, "was only partly read (truncated gzip", id="truncated-gzip"
    ),
    pytest.param(BOX, "raw.player_boxscores", header_only_gzip, "now yields 0 good rows", id="header-only-gzip"),
    pytest.param(LINESCORES, "raw.linescores", header_only_csv, "now yields 0 good rows", id="header-only-linescores"),
    pytest.param(SCHEDULE, "raw.schedule", unterminated_quote, "good rows where it provided", id="unterminated-quote"),
]


@pytest.mark.parametrize(("rel", "table", "damage", "reason"), CASES)
def test_a_damaged_file_is_refused_and_every_raw_table_is_unchanged(copies, rel, table, damage, reason):
    root, db = copies
    before_rows = rows_of(db, rel, table)
    before = raw_content(db)
    damage(root / rel)

    result = runner.invoke(app, ["--db", str(db), "ingest", "archive", str(root)], env={"COLUMNS": "400"})

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = [ln for ln in result.output.splitlines() if "--accept-shrink" in ln]
    assert line.strip().startswith(f"{rel}: {rel}")  # the file, then the refusal naming it
    assert reason in line and f"{before_rows:,}" in line and table in line
    assert raw_content(db) == before
    con = connect(db, read_only=True)
    status, error = con.execute(
        "SELECT status, error FROM ops.ingest_log WHERE file = ? ORDER BY ingest_id DESC LIMIT 1", [rel]
    ).fetchone()
    con.close()
    assert status == "failed" and "--accept-shrink" in error

    # Still refused the next time: the good version stays the last one applied.
    again = runner.invoke(app, ["--db", str(db), "ingest", "archive", str(root)])
    assert again.exit_code == 1 and raw_content(db) == before


def test_accept_shrink_applies_the_smaller_file_and_records_it(copies):
    root, db = copies
    before_rows = rows_of(db, LINESCORES, "raw.linescores")
    header_only_csv(root / LINESCORES)
    result = runner.invoke(app, ["--db", str(db), "ingest", "archive", str(root), "--accept-shrink"])
    assert result.exit_code == 0, result.output
    assert rows_of(db, LINESCORES, "raw.linescores") == 0
    con = connect(db, read_only=True)
    status, error = con.execute(
        "SELECT status, error FROM ops.ingest_log WHERE file = ? ORDER BY ingest_id DESC LIMIT 1", [LINESCORES]
    ).fetchone()
    con.close()
    assert status == "loaded"
    assert error == f"shrink accepted (--accept-shrink): {before_rows:,} -> 0 rows"


def test_a_corrected_file_within_the_tolerance_replaces_exactly_its_rows(copies):
    """Two fewer records and one changed score: applied, and no other file's rows move."""
    root, db = copies
    path = root / LINESCORES
    lines = path.read_text().splitlines(keepends=True)
    header, records = lines[0], lines[1:]
    changed = records[0].split(",")
    pts_home = header.strip().split(",").index("pts_home")
    changed[pts_home] = str(int(changed[pts_home]) + 1)
    path.write_text(header + ",".join(changed) + "".join(records[1:-2]))
    before = raw_content(db)

    result = runner.invoke(app, ["--db", str(db), "ingest", "archive", str(root)])

    assert result.exit_code == 0, result.output
    after = raw_content(db)
    assert rows_of(db, LINESCORES, "raw.linescores") == len(records) - 2
    assert after["linescores"] != before["linescores"]
    unaffected = ("schedule", "player_boxscores", "quarantine", "teams")
    assert {t: after[t] for t in unaffected} == {t: before[t] for t in unaffected}
