"""Ingest the archive corpus: every file family in dependency order, then rebuild player identity."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from nbaprops.raw.families import FAMILIES, FileFamily
from nbaprops.raw.loader import FileResult, load_file
from nbaprops.raw.players import IdentityReport, identity_stale, resolve_players

log = logging.getLogger("nbaprops.ingest")


@dataclass
class IngestSummary:
    files: list[FileResult] = field(default_factory=list)
    identity: IdentityReport | None = None

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def changed(self) -> bool:
        return any(f.status != "unchanged" for f in self.files)


def discover(root: Path, seasons: frozenset[int] | None = None) -> list[tuple[FileFamily, Path]]:
    """Archive files under `root`, in load order (families that resolve ids load after those they need)."""
    found = []
    for family in FAMILIES:
        for path in sorted(root.glob(family.pattern)):
            if seasons is not None and not (family.seasons_of(path.name) & seasons):
                continue
            found.append((family, path))
    return found


def ingest_archive(
    con: duckdb.DuckDBPyConnection,
    root: Path,
    seasons: frozenset[int] | None = None,
    *,
    force: bool = False,
    accept_shrink: bool = False,
    on_file: Callable[[FileResult], None] | None = None,
) -> IngestSummary:
    """Load every archive file under `root` (optionally only some seasons) into the raw tables, then rebuild player
    identity when a file changed or an earlier run stopped before rebuilding it."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"archive folder not found: {root}")
    summary = IngestSummary()
    for family, path in discover(root, seasons):
        result = load_file(
            con, family, path, path.relative_to(root).as_posix(), force=force, accept_shrink=accept_shrink
        )
        summary.files.append(result)
        if on_file:
            on_file(result)
    if summary.changed or force or identity_stale(con) or _active_lists_missing(con):
        summary.identity = resolve_players(con)
    statuses = Counter(f.status for f in summary.files)
    log.info(
        "archive ingest of %s: %d files (%s), %d rows loaded, %d rejected", root, len(summary.files),
        ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "none found",
        sum(f.rows_loaded for f in summary.files), sum(f.rows_rejected for f in summary.files),
    )  # fmt: skip
    for failed in summary.failed:  # INFO: the command prints them; the log file keeps them
        log.info("%s not applied: %s", failed.file, failed.error)
    return summary


def _active_lists_missing(con: duckdb.DuckDBPyConnection) -> bool:
    """A warehouse upgraded to the active-lists migration has box scores but no lists yet: derive them now."""
    return con.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM raw.active_lists) AND EXISTS (SELECT 1 FROM raw.player_boxscores)"
    ).fetchone()[0]
