"""Thresholds live in one YAML file, validated on load: a typo'd key or a string where a number belongs must stop
the run with the key named, not silently fall back to a default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class ThresholdsError(ValueError):
    """The thresholds file cannot be used; the message names the file and the offending key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Band(_Strict):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class Coverage(_Strict):
    min_share: float = Field(ge=0, le=1)
    blocking: bool


class Keys(_Strict):
    blocking: bool


class NullRates(_Strict):
    blocking: bool
    min_non_null: dict[str, float]


class Source(_Strict):
    lacks: list[str]


class TableSettings(_Strict):
    played: str | None = None
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
    blocking: bool
    baseline_days: int = Field(gt=0)
    min_ratio: float = Field(gt=0, le=1)
    zscore: float = Field(gt=0)
    zscore_game_days: int = Field(gt=1)
    min_history: int = Field(gt=1)
    mean_columns: list[str]


class SpotChecks(_Strict):
    blocking: bool
    tolerance: float = Field(ge=0)
    sample_size: int = Field(gt=0)


class PointInTime(_Strict):
    blocking: bool
    dates: int = Field(ge=0)
    players_per_date: int = Field(gt=0)


class CrossSource(_Strict):
    blocking: bool
    min_agreement: float = Field(ge=0, le=1)
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
    spot_checks: SpotChecks
    point_in_time: PointInTime
    cross_source: CrossSource

    def played_filter(self, table: str) -> str:
        """SQL predicate of played rows for `table` (TRUE when the table has no DNP rows to leave out)."""
        settings = self.tables.get(table)
        return f"({settings.played})" if settings and settings.played else "TRUE"

    def critical_floors(self, table: str, columns) -> dict[str, float]:
        """Null-rate floors of the critical columns `table` has."""
        exempt = set(self.tables[table].not_critical) if table in self.tables else set()
        return {c: f for c, f in self.null_rates.min_non_null.items() if c in columns and c not in exempt}

    def ranges_for(self, table: str) -> dict[str, Band]:
        """Range per column: generic `column` entries, overridden by `schema.table.column` ones."""
        bands = {key: band for key, band in self.ranges.columns.items() if key.count(".") == 0}
        prefix = f"{table}."
        bands.update({k[len(prefix) :]: b for k, b in self.ranges.columns.items() if k.startswith(prefix)})
        return bands

    def lacking_sources(self, column: str) -> set[str]:
        return {name for name, source in self.sources.items() if column in source.lacks}


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
        data = yaml.safe_load(text)
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
