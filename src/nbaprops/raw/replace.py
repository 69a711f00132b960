"""The write step both loaders share (archive files in `raw.loader`, live payloads in `raw.live`): replace the rows
one source file provided, its quarantined records and its ledger row, in the caller's transaction, and refuse a
replacement that would shrink the warehouse silently.

A source file (a path or a URL) is the unit of replacement: its rows carry `source_file`, so a new version replaces
exactly the rows the old one provided. Every attempt, failed or not, is a row of `ops.ingest_log`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

Problem = tuple[int | None, str, str]  # (line, reason, raw record)


@dataclass(frozen=True)
class ShrinkTolerance:
    """How much smaller a new version of a file may be before it needs `--accept-shrink`: the larger of a share of
    the rows it replaces and a few rows (a corrected file may drop a duplicate or a cancelled game)."""

    share: float = 0.005
    rows: int = 5

    def allowed(self, before: int) -> int:
        return max(self.rows, int(before * self.share))


DEFAULT_TOLERANCE = ShrinkTolerance()


@dataclass(frozen=True)
class LedgerRow:
    """One attempt to load a source file, as recorded in `ops.ingest_log`."""

    ingest_id: int
    file: str
    sha256: str | None
    source: str
    table: str | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    status: str  # loaded | partial | failed
    error: str | None
    started: dt.datetime


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def next_ingest_id(con: duckdb.DuckDBPyConnection) -> int:
    """max + 1, not a sequence: DuckDB may hand out a sequence value again after a crash; one writer makes it safe."""
    return con.execute("SELECT coalesce(max(ingest_id), 0) + 1 FROM ops.ingest_log").fetchone()[0]


def last_good_sha(con: duckdb.DuckDBPyConnection, file: str) -> str | None:
    """The content hash of the last version of `file` that was applied (skipping an unchanged file)."""
    row = con.execute(
        "SELECT sha256 FROM ops.ingest_log WHERE file = ? AND status IN ('loaded', 'partial') "
        "ORDER BY ingest_id DESC LIMIT 1",
        [file],
    ).fetchone()
    return row[0] if row else None


def log_ingest(con: duckdb.DuckDBPyConnection, row: LedgerRow) -> None:
    con.execute(
        "INSERT INTO ops.ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row.ingest_id, row.file, row.sha256, row.source, row.table, row.rows_read, row.rows_loaded,
         row.rows_rejected, row.status, row.error, row.started, dt.datetime.now()],
    )  # fmt: skip


def shrink_refusal(
    file: str,
    table: str,
    before: int,
    after: int,
    *,
    partial_read: str | None = None,
    tolerance: ShrinkTolerance = DEFAULT_TOLERANCE,
) -> str | None:
    """Why this new version of `file` must not replace the `before` rows it provided (None: it may). A partially read
    file never replaces rows; a version with fewer good rows than the tolerance allows is refused."""
    how = "if the new version is right, run again with --accept-shrink"
    if before and partial_read:
        return (
            f"{file} was only partly read ({partial_read}): not applied, its {before:,} rows in {table} are kept "
            f"(it would leave {after:,}); {how}"
        )
    if before - after > tolerance.allowed(before):
        return (
            f"{file} now yields {after:,} good rows where it provided {before:,} in {table}: not applied, "
            f"the previous rows are kept; {how}"
        )
    return None


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    table: str,
    file: str,
    columns: list[str],
    select_sql: str,
    problems: list[Problem],
    ingest_id: int,
) -> None:
    """Inside the caller's transaction: `file`'s rows in `table` become those `select_sql` yields (selecting
    `columns`), and its quarantined records become `problems`."""
    col_list = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    con.execute(f"DELETE FROM {table} WHERE source_file = ?", [file])
    con.execute(f"INSERT INTO {table} ({col_list}) SELECT {col_list} FROM ({select_sql})")
    replace_quarantine(con, file, problems, ingest_id)


def replace_quarantine(con: duckdb.DuckDBPyConnection, file: str, problems: list[Problem], ingest_id: int) -> None:
    """Inside the caller's transaction: `file`'s record problems replace its earlier ones."""
    con.execute("DELETE FROM raw.quarantine WHERE file = ?", [file])
    if problems:
        con.executemany(
            "INSERT INTO raw.quarantine (ingest_id, file, line, reason, record) VALUES (?, ?, ?, ?, ?)",
            [(ingest_id, file, line, reason, record) for line, reason, record in problems],
        )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def disagreement_sql(columns: list[str], old: str, new: str, *, nulls: bool = False) -> str:
    """SQL: for two rows of the same key, `'column c: <old> vs <new>'` for each of `columns` that both fill with
    different values (with `nulls`, also where only one fills it), '; '-joined ('' when they agree)."""

    def shown(row: str, c: str) -> str:
        return f"coalesce(CAST({row}.{_quoted(c)} AS VARCHAR), 'NULL')"

    both = "" if nulls else " AND {o} IS NOT NULL AND {n} IS NOT NULL"
    parts = [
        f"CASE WHEN {old}.{_quoted(c)} IS DISTINCT FROM {new}.{_quoted(c)}"
        + both.format(o=f"{old}.{_quoted(c)}", n=f"{new}.{_quoted(c)}")
        + f" THEN 'column {c}: ' || {shown(old, c)} || ' vs ' || {shown(new, c)} END"
        for c in columns
    ]
    return f"concat_ws('; ', {', '.join(parts)})"


def fills_sql(columns: list[str], old: str, new: str) -> str:
    """SQL: true when `new` has a value in some column where `old` has NULL (the new row is richer)."""
    return " OR ".join(f"({old}.{_quoted(c)} IS NULL AND {new}.{_quoted(c)} IS NOT NULL)" for c in columns)
