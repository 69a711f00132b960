"""A transform is a declaration plus a SELECT.

Each output table has one small Python module named after the table that declares a `Transform`, and one `.sql`
file beside it holding a SELECT parameterised by `$start_date` / `$end_date` (DATEs, inclusive). The SELECT may read
history before the range (rolling windows) but returns rows only for partition dates inside it. A transform never
writes: the runner deletes the range from the output and inserts the SELECT's rows in one transaction.

Phase 5 computes in Python (a trained model): such a transform declares `compute` (rows for a list of dates, as an
Arrow table) instead of a `.sql` file, and `versions` (what else its output depends on per date, e.g. the model
artifact it picks), which enters its input fingerprint. Everything else - the ledger, staleness, gates, checks - is
the same.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from nbaprops.pipeline.failures import ConfigurationError

PHASES = ("analytics", "precompute", "features", "predictions")
# the package that declares each phase's transforms
PACKAGES = {"analytics": "analytics", "precompute": "precompute", "features": "features", "predictions": "models"}
# How far back a partition reads an input: its own date; its season up to the date; everything up to the date.
LOOKBACKS = ("same_date", "season", "history")
PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
COMPUTED_ROWS = "computed_rows"  # the Arrow rows of a Python transform, registered for the writer's INSERT


@cache
def macro_source() -> str:
    """The SQL macros transforms call: a macro change is a code change, so it is part of every fingerprint."""
    return resources.files("nbaprops.warehouse").joinpath("macros.sql").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Transform:
    """Declaration of one output table.

    lookback: "same_date" when a partition reads only inputs of its own date; "season" when it reads its season's
    earlier dates too (rolling windows, rest days); "history" when it reads earlier seasons as well. `reads` overrides
    it per input table (the feature store reads its same-date inputs but every earlier game against the opponent).
    The planner uses them to know which downstream dates a change touches, fingerprints to hash what was read, and
    a property test deletes every input row outside the declared window and requires the same result.
    dates: which game dates are expected partitions - "played" (box-score tables: a date with no box scores
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
    reads: tuple[tuple[str, str], ...] = ()  # (input table, lookback) where it differs from `lookback`
    dates: str = "played"  # "played": only game dates with box scores; "scheduled": every game date (contexts)
    description: str = ""
    # Column -> what it means, for the data dictionary (COMMENT ON COLUMN); columns shared by many tables take their
    # text from warehouse/dictionary.py's GLOSSARY instead. Not part of the fingerprint: words change no data.
    columns: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    # Turns the file's SELECT into the transform's SQL (the feature store derives its projection from declarations)
    compose: Callable[[str], str] | None = None
    # Python transforms: rows for the dates given (con, dates, run parameters), and per-date versions of what else
    # the rows depend on
    compute: Callable[..., object] | None = None
    versions: Callable[..., dict] | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"{self.name}: phase must be one of {PHASES}, not {self.phase!r}")
        for table, lookback in ((None, self.lookback), *self.reads):
            if lookback not in LOOKBACKS:
                raise ValueError(f"{self.name}: lookback of {table or 'its inputs'} must be one of {LOOKBACKS}")
            if table is not None and table not in self.inputs:
                raise ValueError(f"{self.name}: reads names {table}, which is not among its inputs")
        if self.dates not in ("played", "scheduled"):
            raise ValueError(f"{self.name}: dates must be played or scheduled")
        if "." not in self.name:
            raise ValueError(f"{self.name}: the output name must be schema-qualified")

    def lookback_of(self, table: str) -> str:
        """How far back this transform reads `table`."""
        return dict(self.reads).get(table, self.lookback)

    @property
    def sql(self) -> str:
        if self.compute is not None:
            return f"SELECT * FROM {COMPUTED_ROWS}"
        text = self.sql_file.read_text(encoding="utf-8")
        return self.compose(text) if self.compose else text

    @property
    def fingerprint(self) -> str:
        """Changes whenever the SQL, the declaration or a SQL macro changes: partitions computed under another one
        are stale."""
        declaration = repr(
            (
                self.name,
                self.inputs,
                self.keys,
                self.partition_column,
                self.bootstrap,
                self.lookback,
                self.reads,
                self.dates,
            )
        )
        code = self.sql if self.compute is None else self.sql_file.read_text(encoding="utf-8")
        return hashlib.sha256("\n".join((declaration, code, macro_source())).encode()).hexdigest()[:16]

    def parameters(self, values: dict[str, object]) -> dict[str, object]:
        """The subset of `values` the SQL refers to (DuckDB rejects unused named parameters)."""
        used = set(PARAM.findall(self.sql))
        missing = used - values.keys()
        if missing:
            raise ConfigurationError(f"{self.name}: no value for SQL parameter(s) {sorted(missing)}")
        return {k: v for k, v in values.items() if k in used}


def declare(module_file: str, **kwargs) -> Transform:
    """Declare the transform whose SQL sits beside `module_file` with the same stem (or, with `compute`, whose
    code is `module_file` itself)."""
    path = Path(module_file)
    return Transform(sql_file=path if "compute" in kwargs else path.with_suffix(".sql"), **kwargs)
