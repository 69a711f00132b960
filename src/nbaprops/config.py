"""Settings shared by the CLI and the library: where the warehouse and the data live."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "nbaprops.duckdb"


def default_db_path() -> Path:
    return Path(os.environ.get("NBAPROPS_DB", DEFAULT_DB))


def default_archive_path() -> Path:
    """The archive corpus: `NBAPROPS_ARCHIVE`, else `../shared/data/nba` beside the project."""
    return Path(os.environ.get("NBAPROPS_ARCHIVE", "../shared/data/nba"))
