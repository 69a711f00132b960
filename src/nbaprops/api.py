"""The Python API: the warehouse from a notebook or a script, as Arrow.

    import nbaprops

    with nbaprops.open() as wh:  # the `db` setting (nbaprops.toml, NBAPROPS_DB), read-only
        games = wh.table("analytics.player_game_summary", start="2025-01-01", end="2025-01-31")
        df = games.to_pandas()  # pip install 'nbaprops[pandas]' (or [polars] for .to_polars())

Every method is a thin face over what the command line runs (`picks` is what `nbaprops predict` prints, `backtest`
what `nbaprops backtest` prints), so the two cannot drift apart. docs/python-api.md has the tour.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from nbaprops.settings import get_settings
from nbaprops.warehouse import connect

if TYPE_CHECKING:
    from nbaprops.models.backtest import BacktestReport


class MissingExtra(ImportError):
    """A conversion needs a package that is an optional extra of nbaprops."""


def _extra(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"{module} is not installed: install the extra, pip install 'nbaprops[{module}]'") from None


class Result:
    """Rows as a pyarrow Table (`.arrow`; its attributes - `num_rows`, `column_names`, `to_pylist()`... - work on
    the result too), with `.to_pandas()` / `.to_polars()` through the optional extras."""

    def __init__(self, arrow: pa.Table) -> None:
        self.arrow = arrow

    def to_pandas(self) -> Any:
        _extra("pandas")
        return self.arrow.to_pandas()

    def to_polars(self) -> Any:
        return _extra("polars").from_arrow(self.arrow)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "arrow":  # copy/pickle probe dunders before `arrow` is set
            raise AttributeError(name)
        return getattr(self.arrow, name)

    def __len__(self) -> int:
        return self.arrow.num_rows

    def __repr__(self) -> str:
        return f"Result({self.arrow.num_rows} rows: {', '.join(self.arrow.column_names)})"


def _day(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a date or YYYY-MM-DD, not {value!r}") from None


class Warehouse:
    """An open warehouse: Arrow out of its tables and queries, the SQL macros on its connection (`player_lookup`,
    `season_year_of`, ...), today's picks and the backtest. Close it, or use it as a context manager."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    def sql(self, query: str, params: list | dict | None = None) -> Result:
        """Run `query` (with `?` or `$name` parameters) and return its rows."""
        return Result(self.con.execute(query, params).to_arrow_table())

    def tables(self) -> Result:
        """Every table: name, rows and description (the data dictionary, as `nbaprops schema` prints it)."""
        from nbaprops.warehouse.dictionary import tables

        schema = pa.schema([("table", pa.string()), ("rows", pa.int64()), ("description", pa.string())])
        rows = [dict(zip(schema.names, row, strict=True)) for row in tables(self.con)]
        return Result(pa.Table.from_pylist(rows, schema))

    def table(self, name: str, start: dt.date | str | None = None, end: dt.date | str | None = None) -> Result:
        """The rows of table `name` ("schema.table"), only dates start..end (inclusive) when given."""
        from nbaprops.warehouse.dictionary import columns

        columns(self.con, name)  # an unknown table is an error that lists the known ones
        if start is None and end is None:
            return self.sql(f"SELECT * FROM {name}")
        first, last = _day(start or dt.date.min, "start"), _day(end or dt.date.max, "end")
        if first > last:
            raise ValueError(f"start {first} is after end {last}: the range is empty")
        return self.sql(f"SELECT * FROM {name} WHERE {_date_column(name)} BETWEEN ? AND ?", [first, last])

    def picks(self, day: dt.date | str, market: str | None = None) -> list[dict]:
        """The stored pick sheet of `day` (of `market`, or of every market), the rows `nbaprops predict --format
        json` prints (the best system per market and player-game: market, player, team, opponent, tip-off,
        bookmaker, line, prices, predicted value, edge, probability, pick, model version)."""
        from nbaprops.reports.predictions import pick_sheet

        return pick_sheet(self.con, _day(day, "day"), market)

    def backtest(
        self,
        start: dt.date | str,
        end: dt.date | str,
        availability: str = "live",
        retrain: str = "monthly",
        market: str = "points",
    ) -> BacktestReport:
        """The walk-forward backtest of `market` `nbaprops backtest --market` prints (`.to_text()`, `.to_dict()`)."""
        from nbaprops.features.markets import market as declared_market
        from nbaprops.models.backtest import run_backtest

        return run_backtest(
            self.con, _day(start, "start"), _day(end, "end"), retrain=retrain, availability=availability,
            market=declared_market(market),
        )  # fmt: skip

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _date_column(name: str) -> str:
    """The column a table's dates are in, as its declaration says: the raw catalog's, or the partition column of
    the transform declared in the module named like the table (imported alone: the models need not load)."""
    from nbaprops.pipeline.transform import PACKAGES
    from nbaprops.raw.catalog import CATALOG

    schema, table = name.split(".")
    if name in CATALOG:
        column = CATALOG[name].date_column
    elif schema in PACKAGES:
        column = importlib.import_module(f"nbaprops.{PACKAGES[schema]}.{table}").TRANSFORM.partition_column
    else:
        column = None
    if column is None:
        raise ValueError(f"{name} has no date column: read it without start/end")
    return column


def open(path: str | Path | None = None, read_only: bool = True) -> Warehouse:
    """Open the warehouse at `path` (default: the `db` setting), read-only unless asked. Readers can share the
    file, but DuckDB lets no process write while any connection is open (`nbaprops daily` would exit 3): close
    it when done, or use `with`."""
    path = Path(path) if path is not None else get_settings().db
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: build one with `nbaprops build` or pass its path")
    return Warehouse(connect(path, read_only=read_only), path)
