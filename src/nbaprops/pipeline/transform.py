"""A transform is a declaration plus a SELECT.

Each output table has one small Python module named after the table that declares a `Transform`, and one `.sql`
file beside it holding a SELECT parameterised by `$start_date` / `$end_date` (DATEs, inclusive). The SELECT may read
history before the range (rolling windows) but returns rows only for partition dates inside it. A transform never
writes: the runner deletes the range from the output and inserts the SELECT's rows in one transaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

PHASES = ("analytics", "precompute", "features")
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def macro_source() -> str:
    """The SQL macros transforms call: a macro change is a code change, so it is part of every fingerprint."""
    return resources.files("nbaprops.warehouse").joinpath("macros.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Transform:
    """Declaration of one output table.

    lookback: "same_date" when a partition reads only inputs of its own date; "season" when it reads its season's
    earlier dates too (rolling windows, rest days) - the planner uses it to know which downstream dates a change
    touches. dates: which game dates are expected partitions - "played" (box-score tables: a date with no box scores
    yet has nothing to compute) or "scheduled" (pre-game tables: contexts and features exist for future games).
    """

    name: str  # schema-qualified output table, e.g. "analytics.player_game_summary"
    phase: str
    inputs: tuple[str, ...]  # every table the SELECT reads
    keys: tuple[str, ...]
    sql_file: Path
    partition_column: str = "game_date"
    bootstrap: bool = False  # True: no rows on the first bootstrap days of a regular season
    lookback: str = "season"
    dates: str = "played"  # "played": only game dates with box scores; "scheduled": every game date (contexts)
    description: str = ""

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"{self.name}: phase must be one of {PHASES}, not {self.phase!r}")
        if self.lookback not in ("same_date", "season"):
            raise ValueError(f"{self.name}: lookback must be same_date or season")
        if self.dates not in ("played", "scheduled"):
            raise ValueError(f"{self.name}: dates must be played or scheduled")
        if "." not in self.name:
            raise ValueError(f"{self.name}: the output name must be schema-qualified")

    @property
    def sql(self) -> str:
        return self.sql_file.read_text(encoding="utf-8")

    @property
    def fingerprint(self) -> str:
        """Changes whenever the SQL, the declaration or a SQL macro changes: partitions computed under another one
        are stale."""
        declaration = repr(
            (self.name, self.inputs, self.keys, self.partition_column, self.bootstrap, self.lookback, self.dates)
        )
        return hashlib.sha256("\n".join((declaration, self.sql, macro_source())).encode()).hexdigest()[:16]

    def parameters(self, values: dict[str, object]) -> dict[str, object]:
        """The subset of `values` the SQL refers to (DuckDB rejects unused named parameters)."""
        used = set(PARAM.findall(self.sql))
        missing = used - values.keys()
        if missing:
            raise ValueError(f"{self.name}: no value for SQL parameter(s) {sorted(missing)}")
        return {k: v for k, v in values.items() if k in used}


def declare(module_file: str, **kwargs) -> Transform:
    """Declare the transform whose SQL sits beside `module_file` with the same stem."""
    path = Path(module_file)
    return Transform(sql_file=path.with_suffix(".sql"), **kwargs)
