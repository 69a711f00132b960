"""What validation needs to know about a table: its key, partition column, which game dates it should have, and
whether the pipeline ledger (ops.partitions) tracks it. Derived tables come from their transform declarations; raw
tables from the raw-table catalog (`raw/catalog.py`), restricted to the game types their sources cover."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from nbaprops.calendar import IN_SCOPE_GAME_TYPES, season_label, season_year_of
from nbaprops.pipeline.transform import Transform
from nbaprops.raw.catalog import CATALOG


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

    @classmethod
    def from_transform(cls, t: Transform) -> TableSpec:
        return cls(t.name, t.keys, t.phase, t.partition_column, t.bootstrap, t.dates)

    @property
    def ledgered(self) -> bool:
        """Derived tables (predictions and grades included) record every partition in ops.partitions; raw tables
        are judged by their rows alone."""
        return self.phase != "raw"

    def fix_command(self, dates: list[dt.date], *, rebuild: bool = False, failed: bool = False) -> str:
        """The command that fixes `dates`: a backfill for derived tables (`rebuild`: recompute dates whose rows are
        there but wrong; `failed`: some dates failed before, which a plain backfill does not retry), a forced
        re-ingest of their seasons for raw ones (it restores rows lost or changed since the files were loaded)."""
        dates = sorted(set(dates))
        if not self.ledgered:
            seasons = ",".join(sorted({season_label(season_year_of(d)) for d in dates}))
            return f"nbaprops ingest archive --seasons {seasons} --reload"
        if len(dates) <= 10:
            span = f"--dates {','.join(map(str, dates))}"
        else:
            span = f"--start-date {dates[0]} --end-date {dates[-1]}"
        mode = " --no-resume" if rebuild else (" --retry-failed" if failed else "")
        return f"nbaprops backfill --tables {self.name} {span}{mode}"


RAW_SPECS: dict[str, TableSpec] = {
    t.name: TableSpec(
        t.name, t.keys, game_types=t.game_types or IN_SCOPE_GAME_TYPES, coverage_blocking=t.coverage_blocking
    )
    for t in CATALOG.values()
    if t.validated
}


def table_specs(transforms: dict[str, Transform] | None = None) -> dict[str, TableSpec]:
    """Raw tables and every declared transform (discovered when not given), predictions and grades included."""
    if transforms is None:
        from nbaprops.pipeline.registry import discover

        transforms = discover()
    derived = {name: TableSpec.from_transform(t) for name, t in transforms.items()}
    return {**RAW_SPECS, **derived}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> type; empty when the table does not exist (yet). From `pragma_table_info`, a lookup of the one
    table: `duckdb_columns()` lists every column of the catalog before filtering, ten times slower, and validation
    and the gates ask once per table."""
    try:
        rows = con.execute("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", [table]).fetchall()
    except duckdb.CatalogException:
        return {}
    return dict(rows)


_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
NUMERIC_TYPES = (*_INTEGERS, *(f"U{t}" for t in _INTEGERS), "FLOAT", "DOUBLE", "REAL", "DECIMAL")


def is_numeric(column_type: str) -> bool:
    """Range and mean checks need numbers; VARCHAR columns such as raw minutes ("34:19") are left out."""
    return column_type.upper().startswith(NUMERIC_TYPES)
