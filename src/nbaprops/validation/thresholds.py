"""Thresholds live in one YAML file, validated on load: a typo'd key or a string where a number belongs must stop
the run with the key named, not silently fall back to a default."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nbaprops.calendar import season_label, season_year_of


class ThresholdsError(ValueError):
    """The thresholds file cannot be used; the message names the file and the offending key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Fraction = Annotated[float, Field(ge=0, le=1)]  # a share of rows: 0..1, never a percentage such as 42

# The played rule is data: a name the code maps to SQL, so no thresholds entry is ever executed as SQL.
PLAYED_RULES: dict[str, str] = {
    "no_dnp_reason": "dnp_reason IS NULL",  # the corpus rule: played = `dnp_reason` empty
    "status_active": "status = 'active'",
}
PlayedRule = Literal["no_dnp_reason", "status_active"]


class Band(_Strict):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Coverage(_Strict):
    min_share: Fraction
    blocking: bool


class Keys(_Strict):
    blocking: bool


class NullRates(_Strict):
    blocking: bool
    min_non_null: dict[str, Fraction]  # per season, over the rows whose sources provide the column
    per_date_factor: Fraction  # every single date must reach this share of the floor: a whole date at 0% fails


class Source(_Strict):
    lacks: list[str]


class TableSettings(_Strict):
    played: PlayedRule | None = None
    not_critical: list[str] = []


class CompletenessPair(_Strict):
    players: str
    teams: str
    group_by: list[str] = []
    sums: list[str]


class Completeness(_Strict):
    blocking: bool
    players_per_team_game: Band
    pairs: list[CompletenessPair]


class Ranges(_Strict):
    blocking: bool
    columns: dict[str, Band]


class Regression(_Strict):
    zscore: float = Field(gt=0)
    min_relative_change: float = Field(ge=0)  # and a z-score flag must also move the mean by this share
    zscore_game_days: int = Field(gt=1)
    min_history: int = Field(gt=1)
    mean_columns: list[str]


class RowCount(_Strict):
    min_rows_per_game: float = Field(ge=0)  # played rows per expected game of each date
    by_source: bool = False  # the season comparison per source (tables where every source covers every game)


class RowCounts(_Strict):
    blocking: bool
    min_season_ratio: Fraction  # a season's rows per game below this share of the previous season's fails
    tables: dict[str, RowCount]


class DefaultRates(_Strict):
    blocking: bool
    table: str
    known_gaps: dict[str, list[str]]  # season (or "all") -> features no source provides there (not counted)
    max_mean_per_date: float = Field(ge=0)
    max_mean_per_season: float = Field(ge=0)
    row_ceiling: int = Field(ge=0)  # a row with more defaults than this is "mostly defaults"
    max_share_over_ceiling_per_date: Fraction
    max_share_over_ceiling_per_season: Fraction


class KnownGap(_Strict):
    """Dates a table is known to lack because its only source does not cover them (docs/validation.md)."""

    table: str
    seasons: list[str] = []  # whole seasons
    after: dt.date | None = None  # or every date after this one (a file that ends early)
    reason: str


class SpotChecks(_Strict):
    blocking: bool
    tolerance: float = Field(ge=0)
    sample_size: int = Field(gt=0)


class PointInTime(_Strict):
    blocking: bool
    dates: int = Field(ge=0)
    players_per_date: int = Field(gt=0)
    seed: int | None = None  # None: a new seed per run (from the clock), reported in the result


class CrossSource(_Strict):
    blocking: bool
    min_agreement: Fraction
    columns: list[str]


class Thresholds(_Strict):
    coverage: Coverage
    keys: Keys
    null_rates: NullRates
    sources: dict[str, Source]
    column_sources: dict[str, str]
    tables: dict[str, TableSettings]
    completeness: Completeness
    ranges: Ranges
    regression: Regression
    row_counts: RowCounts
    default_rates: DefaultRates
    known_gaps: list[KnownGap]
    spot_checks: SpotChecks
    point_in_time: PointInTime
    cross_source: CrossSource

    def played_filter(self, table: str) -> str:
        """SQL predicate of played rows for `table` (TRUE when the table has no DNP rows to leave out)."""
        settings = self.tables.get(table)
        return f"({PLAYED_RULES[settings.played]})" if settings and settings.played else "TRUE"

    def critical_floors(self, table: str, columns) -> dict[str, float]:
        """Null-rate floors of the critical columns `table` has."""
        exempt = set(self.tables[table].not_critical) if table in self.tables else set()
        floors = _for_table(self.null_rates.min_non_null, table)
        return {c: f for c, f in floors.items() if c in columns and c not in exempt}

    def ranges_for(self, table: str) -> dict[str, Band]:
        """Range per column: generic `column` entries, overridden by `schema.table.column` ones."""
        return _for_table(self.ranges.columns, table)

    def known_gap(self, table: str, day: dt.date) -> KnownGap | None:
        """The declared source gap that explains `table` lacking `day`, if any."""
        season = season_label(season_year_of(day))
        for gap in self.known_gaps:
            if gap.table == table and (season in gap.seasons or (gap.after is not None and day > gap.after)):
                return gap
        return None

    def lacking_sources(self, column: str) -> set[str]:
        return {name for name, source in self.sources.items() if column in source.lacks}


def _for_table(entries: dict[str, Any], table: str) -> dict[str, Any]:
    """Generic `column` entries, overridden by `schema.table.column` ones for `table`."""
    chosen = {key: value for key, value in entries.items() if key.count(".") == 0}
    prefix = f"{table}."
    chosen.update({k[len(prefix) :]: v for k, v in entries.items() if k.startswith(prefix)})
    return chosen


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        # libyaml's safe loader when the wheel has it: the same documents, about six times faster than pure Python
        # (the gates load the thresholds on every run, the point-in-time audit once per date)
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ThresholdsError(f"{origin}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ThresholdsError(f"{origin}: expected a mapping of settings at the top level")
    return data


def default_thresholds_text() -> str:
    return resources.files("nbaprops.validation").joinpath("thresholds.yaml").read_text(encoding="utf-8")


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """The packaged defaults, with the file at `path` (if any) merged over them."""
    data = _read_yaml(default_thresholds_text(), "packaged thresholds.yaml")
    origin = "packaged thresholds.yaml"
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ThresholdsError(f"thresholds file {path} does not exist")
        origin = str(path)
        data = _merge(data, _read_yaml(path.read_text(encoding="utf-8"), origin))
    try:
        return Thresholds.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            + (f" (got {err['input']!r})" if err["type"] != "extra_forbidden" else "")
            for err in exc.errors()
        )
        raise ThresholdsError(f"{origin}: {problems}") from None
