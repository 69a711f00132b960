"""Migrations: applied once, in order, and a version that landed late is still applied."""

import datetime as dt

import pytest

from nbaprops.warehouse import connect, ledger
from nbaprops.warehouse.connection import WarehouseUnreadable, _migrations, migrate


def test_every_migration_is_applied_once(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    versions = [v for (v,) in con.execute("SELECT version FROM ops.schema_version ORDER BY 1").fetchall()]
    assert versions == [v for v, _, _ in _migrations()]
    assert migrate(con) == []
    schemas = {s for (s,) in con.execute("SELECT schema_name FROM information_schema.schemata").fetchall()}
    assert {"raw", "analytics", "precompute", "features", "predictions", "ops"} <= schemas


def test_a_missing_older_version_is_applied_later(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("DROP TABLE raw.injuries")
    con.execute("DROP TABLE ops.http_requests")
    con.execute("DELETE FROM ops.schema_version WHERE version = 3")
    assert migrate(con) == [3]
    assert con.execute("SELECT count(*) FROM raw.injuries").fetchone() == (0,)


def test_a_file_named_after_a_schema_is_refused(tmp_path):
    with pytest.raises(ValueError, match="cannot be named after a schema"):
        connect(tmp_path / "analytics.duckdb")


def _damaged_wal(tmp_path):
    """A warehouse whose last commits are only in its write-ahead log, with that log damaged."""
    import duckdb

    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = duckdb.connect(str(path))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("INSERT INTO raw.teams SELECT * FROM raw.teams")
    con.close()
    wal = tmp_path / "w.duckdb.wal"
    data = bytearray(wal.read_bytes())
    for i in range(100, len(data), 7):
        data[i] ^= 0xFF
    wal.write_bytes(bytes(data))
    return path


def _garbage_file(tmp_path):
    path = tmp_path / "w.duckdb"
    path.write_bytes(bytes(range(256)) * 100)
    return path


@pytest.mark.parametrize(
    ("make", "advice"),
    [(_garbage_file, "move it (and w.duckdb.wal) aside"), (_damaged_wal, "w.duckdb.wal aside to open the last")],
    ids=["corrupt-database", "corrupt-wal"],
)
@pytest.mark.parametrize("command", [["status"], ["ingest", "archive"]])
def test_a_damaged_warehouse_is_one_line_naming_the_file_and_what_to_do(tmp_path, make, advice, command):
    from typer.testing import CliRunner

    from nbaprops.cli import app

    path = make(tmp_path)
    with pytest.raises(WarehouseUnreadable, match="cannot be opened"):
        connect(path, read_only=True)
    args = [*command, str(tmp_path)] if command[0] == "ingest" else command
    result = CliRunner().invoke(app, ["--db", str(path), *args], env={"COLUMNS": "400"})
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"warehouse {path} cannot be opened (") and advice in line


def _fingerprint(con, values: list[float | None]) -> str:
    con.execute("CREATE OR REPLACE TABLE main.fp (game_date DATE, x DOUBLE, n INTEGER)")
    con.executemany("INSERT INTO main.fp VALUES ('2025-01-01', ?, ?)", [(v, i % 3) for i, v in enumerate(values)])
    con.execute("CREATE OR REPLACE TEMP TABLE fp_dates AS SELECT DATE '2025-01-01' AS d")
    return ledger.data_fingerprints(con, "main.fp", "game_date", "fp_dates")[dt.date(2025, 1, 1)][1]


def test_a_data_fingerprint_ignores_float_noise_but_not_a_real_change():
    """The last bits of a float sum depend on the order of additions (threads, engines): a rebuilt partition whose
    values differ only there is unchanged; a change in the sixth significant digit is a change."""
    import duckdb

    con = duckdb.connect()
    base = _fingerprint(con, [0.3, 114.25, 0.0, None, 1e-300, -2.5e12])
    assert _fingerprint(con, [0.1 + 0.2, 114.25 + 1e-13, 0.0, None, 1e-300, -2.5e12 * (1 + 1e-15)]) == base
    assert _fingerprint(con, [0.3, 114.26, 0.0, None, 1e-300, -2.5e12]) != base
    # a short decimal on the boundary of six digits: the last bit of its sum must not matter either
    assert _fingerprint(con, [27.32875]) == _fingerprint(con, [27.328749999999996])
    assert _fingerprint(con, [83.55625]) == _fingerprint(con, [83.55624999999999])
    assert _fingerprint(con, [0.3, 114.25, 0.0, 0.0, 1e-300, -2.5e12]) != base  # NULL is not zero


def test_record_done_replaces_each_partitions_ledger_row_column_for_column(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    day1, day2 = dt.date(2024, 11, 1), dt.date(2024, 11, 2)
    ledger.record_done(con, "x.t", [(day1, None, 10, 1, "tf", "in1", "d1", False)])
    ledger.record_done(
        con, "x.t", [(day1, "again", 11, 2, "tf", "in2", "d2", True), (day2, None, 0, 2, "tf", None, None, False)]
    )
    ledger.record_done(con, "x.t", [])  # nothing to record is not an error
    rows = con.execute(
        "SELECT partition_date, state, reason, rows, run_id, transform_fingerprint, input_fingerprint, "
        "data_fingerprint, forced FROM ops.partitions WHERE table_name = 'x.t' ORDER BY 1"
    ).fetchall()
    con.close()
    assert rows == [
        (day1, "done", "again", 11, 2, "tf", "in2", "d2", True),
        (day2, "done", None, 0, 2, "tf", None, None, False),
    ]
