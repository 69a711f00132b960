"""The run context: what every command, the daily run, the report and the tests work with - the settings in
force, one warehouse connection and the calendar loaded from it with the settings' bootstrap length.

Opening it is the only place that turns settings into a connection, so a command cannot read one bootstrap length
from the environment and another from its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.settings import Settings, get_settings
from nbaprops.warehouse import connect
from nbaprops.warehouse.connection import close, database_file


@dataclass
class RunContext:
    settings: Settings
    con: duckdb.DuckDBPyConnection
    read_only: bool = False
    _calendar: SeasonCalendar | None = field(default=None, repr=False)

    @classmethod
    def open(cls, settings: Settings | None = None, *, read_only: bool = False) -> RunContext:
        settings = settings or get_settings()
        return cls(settings, connect(settings.db, read_only=read_only), read_only)

    @property
    def calendar(self) -> SeasonCalendar:
        """The season calendar as the warehouse holds it now (loaded once; `refresh_calendar` after an ingest)."""
        if self._calendar is None:
            self._calendar = SeasonCalendar.load(self.con, self.settings.bootstrap_days)
        return self._calendar

    def refresh_calendar(self) -> SeasonCalendar:
        self._calendar = None
        return self.calendar

    def close(self) -> None:
        """Close the connection and drop the holder record a writer left beside its file (not only at exit)."""
        path = database_file(self.con)
        if path is None:
            self.con.close()
        else:
            close(self.con, path)

    def __enter__(self) -> RunContext:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
