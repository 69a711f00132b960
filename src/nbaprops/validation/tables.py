"""What validation needs to know about a table: its key, partition column, which game dates it should have, and
whether the pipeline ledger (ops.partitions) tracks it. Derived tables come from their transform declarations; raw
tables are declared here, restricted to the game types their sources cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from nbaprops.calendar import IN_SCOPE_GAME_TYPES, season_label, season_year_of
from nbaprops.pipeline.transform import Transform


@dataclass(frozen=True)
class TableSpec:
    name: str
    keys: tuple[str, ...]
    phase: str = "raw"
    partition_column: str = "game_date"
    bootstrap: bool = False
    dates: str = "played"  # played | scheduled, as Transform.dates
    game_types: tuple[str, ...] = IN_SCOPE_GAME_TYPES  # game dates of these types are expected
    coverage_blocking: bool = True  # False: the source is known to be partial; missing dates only warn
    expects_dates: bool = True  # False: rows exist only for the dates someone asked for (predictions)

    @classmethod
    def from_transform(cls, t: Transform) -> TableSpec:
        return cls(t.name, t.keys, t.phase, t.partition_column, t.bootstrap, t.dates)

    @property
    def ledgered(self) -> bool:
        """Derived tables record every partition in ops.partitions; raw and prediction tables are judged by their
        rows alone."""
        return self.phase not in ("raw", "predictions")

    def fix_command(self, dates: list[dt.date], *, rebuild: bool = False, failed: bool = False) -> str:
        """The command that fixes `dates`: a backfill for derived tables (`rebuild`: recompute dates whose rows are
        there but wrong; `failed`: some dates failed before, which a plain backfill does not retry), a forced
        re-ingest of their seasons for raw ones (it restores rows lost or changed since the files were loaded).
        Prediction tables have no fixing command: they are rewritten by `nbaprops predict`."""
        dates = sorted(set(dates))
        if self.phase == "predictions":
            return ""
        if not self.ledgered:
            seasons = ",".join(sorted({season_label(season_year_of(d)) for d in dates}))
            return f"nbaprops ingest archive --seasons {seasons} --force"
        if len(dates) <= 10:
            span = f"--dates {','.join(map(str, dates))}"
        else:
            span = f"--start-date {dates[0]} --end-date {dates[-1]}"
        mode = " --no-resume" if rebuild else (" --retry-failed" if failed else "")
        return f"nbaprops backfill --tables {self.name} {span}{mode}"


_BOX_TYPES = ("regular_season", "playoffs")  # game logs and Basketball-Reference: no play-in, no cup final

RAW_SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in (
        TableSpec("raw.team_boxscores", ("game_id", "team", "source")),
        TableSpec("raw.player_boxscores", ("game_id", "source", "source_player_id"), game_types=_BOX_TYPES),
        TableSpec("raw.linescores", ("game_id", "team"), coverage_blocking=False),
        TableSpec("raw.shots", (), game_types=("regular_season",), coverage_blocking=False),
        TableSpec("raw.prop_lines", (), coverage_blocking=False),
    )
}

# Phase 5 outputs: checked for keys, nulls and ranges when present; a missing one is "not built yet".
PREDICTION_SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in (
        TableSpec("predictions.player_points_predictions", ("system", "model_version", "game_id", "player_id"),
                  phase="predictions", dates="scheduled", expects_dates=False),
        TableSpec("predictions.prediction_accuracy", ("system", "model_version", "game_id", "player_id"),
                  phase="predictions", expects_dates=False),
    )
}  # fmt: skip


def table_specs(transforms: dict[str, Transform] | None = None) -> dict[str, TableSpec]:
    """Raw tables, every declared transform (discovered when not given) and the prediction tables."""
    if transforms is None:
        from nbaprops.pipeline.registry import discover

        transforms = discover()
    derived = {name: TableSpec.from_transform(t) for name, t in transforms.items()}
    return {**RAW_SPECS, **derived, **PREDICTION_SPECS}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> type; empty when the table does not exist (yet)."""
    schema, name = table.split(".")
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
    return dict(rows)


_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
NUMERIC_TYPES = (*_INTEGERS, *(f"U{t}" for t in _INTEGERS), "FLOAT", "DOUBLE", "REAL", "DECIMAL")


def is_numeric(column_type: str) -> bool:
    """Range and mean checks need numbers; VARCHAR columns such as raw minutes ("34:19") are left out."""
    return column_type.upper().startswith(NUMERIC_TYPES)
