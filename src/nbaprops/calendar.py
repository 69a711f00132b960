"""The season calendar: the one place that knows seasons, game types, season starts and bootstrap days.

Pure functions take dates and ids; `SeasonCalendar` reads the loaded games from the warehouse and falls back to
the table in SPEC section 2 when a season's schedule is not loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from nbaprops.settings import Settings, get_settings

FALLBACK_SEASON_STARTS: dict[int, dt.date] = {
    2021: dt.date(2021, 10, 19),
    2022: dt.date(2022, 10, 18),
    2023: dt.date(2023, 10, 24),
    2024: dt.date(2024, 10, 22),
    2025: dt.date(2025, 10, 21),
}


# Game id prefix (characters 1-3) -> game type. Cup group and knockout games are regular-season games (002).
GAME_TYPES_BY_PREFIX: dict[str, str] = {
    "001": "preseason",
    "002": "regular_season",
    "003": "all_star",
    "004": "playoffs",
    "005": "play_in",
    "006": "cup_final",
}
IN_SCOPE_GAME_TYPES: tuple[str, ...] = ("regular_season", "play_in", "playoffs", "cup_final")


def season_year_of(day: dt.date) -> int:
    """Start year of the season a date belongs to (seasons run October to June; July-September is the off-season,
    counted with the season that starts next)."""
    return day.year if day.month >= 7 else day.year - 1


def season_label(season_year: int) -> str:
    """`2024` -> `"2024-25"`."""
    return f"{season_year}-{(season_year + 1) % 100:02d}"


def season_year_of_label(label: str) -> int:
    """`"2024-25"` -> `2024`; raises ValueError on anything else."""
    start, _, end = label.partition("-")
    if not (start.isdigit() and len(start) == 4 and end.isdigit() and len(end) == 2):
        raise ValueError(f"not a season label like 2024-25: {label!r}")
    year = int(start)
    if (year + 1) % 100 != int(end):
        raise ValueError(f"season label {label!r} does not span consecutive years")
    return year


def normalize_game_id(value: str | int) -> str:
    """NBA game ids are 10-character strings; sources that give an integer lose the leading zeros."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 10:
        raise ValueError(f"not an NBA game id: {value!r}")
    return text.zfill(10)


def game_type_of(game_id: str) -> str:
    """Game type from the id prefix (`0022400974` -> `regular_season`)."""
    gid = normalize_game_id(game_id)
    try:
        return GAME_TYPES_BY_PREFIX[gid[:3]]
    except KeyError:
        raise ValueError(f"unknown game id prefix {gid[:3]!r} in {gid}") from None


def season_year_of_game_id(game_id: str) -> int:
    """Characters 4-5 of the id are the season's start year (`0022400974` -> 2024)."""
    return 2000 + int(normalize_game_id(game_id)[3:5])


def game_code(game_date: dt.date, away: str, home: str) -> str:
    """Human-readable game key `YYYYMMDD_AWAY_HOME`."""
    return f"{game_date:%Y%m%d}_{away}_{home}"


@dataclass(frozen=True)
class SeasonCalendar:
    """Game dates and season starts as loaded in the warehouse; everything that needs "which dates" asks this."""

    game_dates: tuple[dt.date, ...]
    season_starts: dict[int, dt.date]
    bootstrap_days: int = Settings.model_fields["bootstrap_days"].default
    played_dates: frozenset[dt.date] = frozenset()  # game dates with box scores loaded

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, bootstrap_days: int | None = None) -> SeasonCalendar:
        """The warehouse's calendar; the bootstrap length is the settings' unless given."""
        bootstrap_days = get_settings().bootstrap_days if bootstrap_days is None else bootstrap_days
        dates = [r[0] for r in con.execute("SELECT game_date FROM raw.game_dates ORDER BY 1").fetchall()]
        starts = dict(FALLBACK_SEASON_STARTS)
        starts.update(dict(con.execute("SELECT season_year, season_start FROM raw.season_starts").fetchall()))
        played = con.execute(
            "SELECT game_date FROM raw.team_boxscores UNION SELECT game_date FROM raw.player_boxscores"
        ).fetchall()
        return cls(tuple(dates), starts, bootstrap_days, frozenset(r[0] for r in played) & frozenset(dates))

    def season_start(self, season_year: int) -> dt.date:
        try:
            return self.season_starts[season_year]
        except KeyError:
            raise ValueError(f"no season start known for {season_label(season_year)}") from None

    def is_bootstrap(self, day: dt.date) -> bool:
        """Days 0..bootstrap_days-1 after the regular-season start have too little history for rolling windows."""
        start = self.season_starts.get(season_year_of(day))
        return start is not None and 0 <= (day - start).days < self.bootstrap_days

    def dates_between(
        self, start: dt.date, end: dt.date, *, skip_bootstrap: bool = False, played_only: bool = False
    ) -> list[dt.date]:
        """Game dates in [start, end], optionally without bootstrap days or without dates not played yet."""
        return [
            d
            for d in self.game_dates
            if start <= d <= end
            and not (skip_bootstrap and self.is_bootstrap(d))
            and not (played_only and d not in self.played_dates)
        ]
