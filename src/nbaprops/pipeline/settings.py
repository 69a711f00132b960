"""The values a run hands its transforms: `$name` parameters of the SQL and what Python transforms need, all from
the one settings object (and the calendar, so the SQL skips exactly the bootstrap days the planner skips)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.settings import Settings, get_settings
from nbaprops.warehouse import database_file


def models_dir(con: duckdb.DuckDBPyConnection, settings: Settings | None = None) -> Path:
    """Trained model artifacts: the setting, else `models/` beside the warehouse file."""
    settings = settings or get_settings()
    if settings.models_dir is not None:
        return settings.models_dir
    db = database_file(con)
    return (db.resolve().parent if db else Path.cwd()) / "models"


def run_parameters(
    con: duckdb.DuckDBPyConnection, calendar: SeasonCalendar | None = None, settings: Settings | None = None
) -> dict[str, object]:
    settings = settings or get_settings()
    return {
        "bootstrap_days": calendar.bootstrap_days if calendar else settings.bootstrap_days,
        "bookmaker_priority": list(settings.bookmaker_priority),
        "models_dir": str(models_dir(con, settings)),
    }
