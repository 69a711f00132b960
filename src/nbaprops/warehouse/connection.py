"""Open the warehouse file and bring its schema up to date.

Migrations are `migrations/NNNN_name.sql`, applied in order inside one transaction each and recorded in
`ops.schema_version`, so opening an old warehouse upgrades it and opening a current one costs one query.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import duckdb

from nbaprops.warehouse import lock

SCHEMAS = ("raw", "analytics", "precompute", "features", "predictions", "ops")
MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# What a damaged file raises when first read (a SQL mistake in a migration raises something else and stays loud).
DAMAGE = (duckdb.IOException, duckdb.InternalException, duckdb.SerializationException, duckdb.FatalException)


class WarehouseLocked(RuntimeError):
    """Another process holds the warehouse file: DuckDB allows one writer per file, and no reader beside it. The
    message names the holder (PID, command, since when) and what to do; `holder` carries the same facts."""

    def __init__(self, message: str, holder: lock.Holder | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class WarehouseUnreadable(RuntimeError):
    """The warehouse file or its write-ahead log is damaged or not a DuckDB file: one line, what to do."""


def _unreadable(path: Path, exc: Exception) -> WarehouseUnreadable:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    wal = path.with_name(path.name + ".wal")
    if "wal" in reason.lower():
        todo = (
            f"move {wal} aside to open the last checkpoint (changes after it are lost), "
            "or restore the warehouse from a backup"
        )
    else:
        todo = f"restore it from a backup, or move it (and {wal.name}) aside and rebuild with `nbaprops build`"
    return WarehouseUnreadable(f"warehouse {path} cannot be opened ({reason}): {todo}")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse at `path` and apply pending migrations."""
    path = Path(path)
    if path.stem.lower() in SCHEMAS:
        # DuckDB names the catalog after the file: `analytics.x` would then be ambiguous in every query.
        raise ValueError(f"the warehouse file cannot be named after a schema ({path.name}); choose another name")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            holder = lock.holder(path, str(exc))
            raise WarehouseLocked(holder.describe(path), holder) from exc
        raise _unreadable(path, exc) from exc
    except duckdb.Error as exc:
        raise _unreadable(path, exc) from exc
    try:
        if not read_only:
            migrate(con)
        install_macros(con)
    except DAMAGE as exc:
        con.close()
        raise _unreadable(path, exc) from exc
    if not read_only and str(path) != ":memory:":
        lock.record(path)
    return con


def close(con: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    """Close a connection `connect` opened and drop the holder record it left beside a file it wrote."""
    con.close()
    lock.release(Path(path))


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection (None for an in-memory database)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Path(row[0]) if row and row[0] else None


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the SQL macros for this connection: they are code, versioned with the package, not schema."""
    con.execute(resources.files("nbaprops.warehouse").joinpath("macros.sql").read_text(encoding="utf-8"))


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files("nbaprops.warehouse.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not recorded yet, in order; return the versions applied. (Any missing version, not
    only newer ones: migrations written on parallel branches may land out of order.)"""
    con.execute("CREATE SCHEMA IF NOT EXISTS ops")
    con.execute(
        "CREATE TABLE IF NOT EXISTS ops.schema_version ("
        " version INTEGER, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    done = {v for (v,) in con.execute("SELECT version FROM ops.schema_version").fetchall()}
    applied = []
    for version, name, sql in _migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO ops.schema_version (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
