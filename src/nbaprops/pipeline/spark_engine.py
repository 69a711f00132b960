"""Apache Spark as the second engine of the phase 3-4 transforms.

It runs the plan the DuckDB engine would run (same planner, same DAG order, same batches), but each batch is the
transform's SQL transpiled to Spark SQL (`pipeline/spark_sql.py`) over the Parquet lake (`pipeline/lake.py`): raw
inputs from an export, derived inputs from what this engine wrote before. Each batch's rows go to the lake with
dynamic partition overwrite (exactly the batch's date folders are replaced; a date that now has no rows loses its
folder), and DuckDB reads them back to record each partition in the warehouse's ledger with the same data
fingerprint the DuckDB writer computes, so the two engines can be compared partition by partition.

The warehouse stays the system of record for the ledger and the table definitions (an output table is created
empty from the SELECT's shape, as the DuckDB writer does). Input gates are not evaluated on this engine, and Python
transforms (predictions) are not run by it: the plan must hold SQL transforms only.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from nbaprops.calendar import SeasonCalendar
from nbaprops.pipeline import lake
from nbaprops.pipeline.fingerprints import input_fingerprints, snapshot_raw_fingerprints
from nbaprops.pipeline.partitions import contiguous_batches
from nbaprops.pipeline.planner import Plan
from nbaprops.pipeline.runner import RunSummary, TableOutcome
from nbaprops.pipeline.settings import run_parameters
from nbaprops.pipeline.spark_sql import to_spark, view_name
from nbaprops.pipeline.transform import Transform
from nbaprops.pipeline.writer import ensure_output_table
from nbaprops.settings import Settings
from nbaprops.warehouse import ledger

ENGINE = "spark"
SPARK_BATCH = "spark_batch"  # the temp table DuckDB reads a written batch into, to fingerprint it


def spark_type(duckdb_type: str) -> str:
    """The Spark SQL type a DuckDB column type is written as."""
    if duckdb_type.endswith("[]"):
        return f"ARRAY<{spark_type(duckdb_type[:-2])}>"
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type
    known = {
        "BOOLEAN": "BOOLEAN", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT", "INTEGER": "INT", "BIGINT": "BIGINT",
        "HUGEINT": "DECIMAL(38, 0)", "FLOAT": "FLOAT", "DOUBLE": "DOUBLE", "DATE": "DATE", "VARCHAR": "STRING",
        "TIMESTAMP": "TIMESTAMP_NTZ", "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
    }  # fmt: skip
    if duckdb_type not in known:
        raise ValueError(f"no Spark type for the DuckDB type {duckdb_type}")
    return known[duckdb_type]


def spark_session(master: str = "local[*]", app: str = "nbaprops", shuffle_partitions: int | None = None):
    """A SparkSession set up as the engine needs: UTC, dynamic partition overwrite, no UI."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    )
    if shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    return builder.getOrCreate()


@dataclass
class SparkEngine:
    """Runs plans on a SparkSession over a lake folder; the warehouse connection holds the ledger."""

    con: duckdb.DuckDBPyConnection
    spark: object  # pyspark.sql.SparkSession
    lake_dir: Path

    def register(self, table: str) -> None:
        """(Re)read a lake table as its Spark view (after each write: Spark caches the file listing)."""
        path = self.lake_dir / table
        if not path.exists():
            raise FileNotFoundError(f"{path}: the lake has no {table} (run `nbaprops export` first)")
        # the warehouse's schema, not one inferred from thousands of small files (a job per table)
        schema = ", ".join(f"`{c}` {spark_type(t)}" for c, t in lake.columns(self.con, table))
        frame = self.spark.read.schema(schema).option("recursiveFileLookup", "true").parquet(str(path))
        frame.createOrReplaceTempView(view_name(table))

    def _column_names(self, data_type: str) -> frozenset[str]:
        return frozenset(
            r[0]
            for r in self.con.execute(
                "SELECT DISTINCT column_name FROM information_schema.columns WHERE data_type = ? "
                "AND table_schema IN ('raw', 'analytics', 'precompute', 'features')",
                [data_type],
            ).fetchall()
        )

    def spark_sql(self, transform: Transform, dates: list[dt.date], parameters: dict[str, object]) -> str:
        """The batch's Spark SQL: the transform's SELECT over [min, max], the rows of the batch's dates, cast to
        the warehouse table's types, with the lake's partition keys."""
        schema = lake.columns(self.con, transform.name)
        pcol = transform.partition_column
        days = ", ".join(f"DATE '{d.isoformat()}'" for d in dates)
        casts = ", ".join(f"CAST(q.{c} AS {spark_type(t)}) AS {c}" for c, t in schema)
        inner = to_spark(
            transform.sql,
            transform.parameters({**parameters, "start_date": dates[0], "end_date": dates[-1]}),
            date_columns=self._column_names("DATE"),
            list_columns=frozenset(c for c, t in schema if t.endswith("[]")),
            variables=dict(self.con.execute("SELECT 'availability', getvariable('availability')").fetchall()),
        )
        year = f"(CASE WHEN MONTH(q.{pcol}) >= 7 THEN YEAR(q.{pcol}) ELSE YEAR(q.{pcol}) - 1 END)"
        season = f"CONCAT(CAST({year} AS STRING), '-', LPAD(CAST(({year} + 1) % 100 AS STRING), 2, '0'))"
        return (
            f"SELECT {casts}, {season} AS {lake.SEASON_KEY}, "
            f"CAST(q.{pcol} AS STRING) AS {lake.DATE_KEY} FROM ({inner}) q WHERE q.{pcol} IN ({days})"
        )

    def write_batch(self, transform: Transform, dates: list[dt.date], parameters: dict[str, object]) -> None:
        frame = self.spark.sql(self.spark_sql(transform, dates, parameters))
        target = self.lake_dir / transform.name
        # date folders of the batch that get no rows now must not keep old ones
        for d in dates:
            shutil.rmtree(lake.partition_path(target, lake.season_label(d), d), ignore_errors=True)
        frame.write.mode("overwrite").partitionBy(lake.SEASON_KEY, lake.DATE_KEY).parquet(str(target))
        self.register(transform.name)

    def record_batch(
        self, transform: Transform, dates: list[dt.date], run_id: int, fingerprints: dict[dt.date, str]
    ) -> int:
        """Read the written batch into DuckDB with the table's types and ledger each partition; returns rows."""
        schema = lake.columns(self.con, transform.name)
        pcol = transform.partition_column
        target = self.lake_dir / transform.name
        folders = [lake.partition_path(target, lake.season_label(d), d) for d in dates]
        files = [str(f / "*.parquet") for f in folders if f.exists()]
        select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in schema)
        body = f"SELECT {select} FROM read_parquet({files!r}, hive_partitioning = false)" if files else None
        empty = f"SELECT * FROM {transform.name} LIMIT 0"
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {SPARK_BATCH} AS {body or empty}")
        self.con.execute("CREATE OR REPLACE TEMP TABLE batch_dates (d DATE)")
        self.con.executemany("INSERT INTO batch_dates VALUES (?)", [(d,) for d in dates])
        stats = ledger.data_fingerprints(self.con, SPARK_BATCH, pcol, "batch_dates")
        self.con.execute("BEGIN TRANSACTION")
        ledger.record_done(
            self.con, transform.name,
            [
                (d, None if d in stats else "no rows", stats.get(d, (0, None))[0], run_id, transform.fingerprint,
                 fingerprints.get(d), stats.get(d, (0, None))[1], False)
                for d in dates
            ],
        )  # fmt: skip
        self.con.execute("COMMIT")
        return sum(n for n, _ in stats.values())

    def run(
        self, plan: Plan, transforms: dict[str, Transform], calendar: SeasonCalendar, *, batch_days: int,
        settings: Settings | None = None,
    ) -> RunSummary:  # fmt: skip
        """Run every planned partition in DAG order, ledgered like the DuckDB runner's (failures too)."""
        python = [t.transform.name for t in plan.tables if t.transform.compute is not None]
        if python:
            raise ValueError(f"the Spark engine runs SQL transforms only, not {', '.join(python)}")
        for table in sorted({i for t in transforms.values() for i in t.inputs if i not in transforms}):
            self.register(table)
        for table in transforms:
            if (self.lake_dir / table).exists():
                self.register(table)
        run_id = ledger.start_run(self.con, f"backfill --engine {ENGINE}", plan.request.start, plan.request.end)
        snapshot_raw_fingerprints(self.con, transforms)
        parameters = {
            **run_parameters(self.con, calendar, settings),
            "include_bootstrap": plan.request.include_bootstrap,
        }
        outcomes = [self._run_table(t, transforms, calendar, parameters, run_id, batch_days) for t in plan.tables]
        failed = sum(o.failed for o in outcomes)
        status = "success" if not failed else ("partial" if any(o.done for o in outcomes) else "failed")
        ledger.finish_run(
            self.con, run_id, status=status, rows=sum(o.rows for o in outcomes),
            details={"engine": ENGINE, "lake": str(self.lake_dir),
                     "tables": {o.table: {"done": o.done, "failed": o.failed, "rows": o.rows, "skipped": o.skipped,
                                          "seconds": o.seconds} for o in outcomes}},
            error="; ".join(e for o in outcomes for e in o.errors)[:2000] or None,
            failure_category="processing" if failed else None,
        )  # fmt: skip
        return RunSummary(run_id, outcomes, status)

    def _run_table(self, table_plan, transforms, calendar, parameters, run_id: int, batch_days: int) -> TableOutcome:
        """One table's batches; a failing batch is ledgered as failed with its error and the table stops there
        (its readers then fail on their missing input, each with its own error)."""
        transform = table_plan.transform
        outcome = TableOutcome(transform.name)
        started = time.perf_counter()
        done: set[dt.date] = set()
        try:
            first = min(table_plan.work, default=calendar.game_dates[0])
            ensure_output_table(
                self.con, transform, transform.parameters({**parameters, "start_date": first, "end_date": first})
            )
            for batch in contiguous_batches(sorted(table_plan.work), table_plan.expected, batch_days):
                fingerprints = input_fingerprints(self.con, transform, transforms, batch, parameters)
                self.write_batch(transform, batch, parameters)
                outcome.rows += self.record_batch(transform, batch, run_id, fingerprints)
                outcome.done += len(batch)
                done.update(batch)
        except Exception as exc:  # recorded per partition, the run goes on with the other tables
            left = sorted(set(table_plan.work) - done)
            message = f"spark error: {type(exc).__name__}: {exc}".splitlines()[0][:2000]
            ledger.record_not_done(
                self.con, transform.name, left, state="failed", reason=message, run_id=run_id,
                fingerprint=transform.fingerprint, category="processing",
            )  # fmt: skip
            outcome.failed += len(left)
            outcome.errors.append(f"{transform.name}: {message}")
        if table_plan.skipped_bootstrap:
            ledger.record_not_done(
                self.con, transform.name, table_plan.skipped_bootstrap, state="skipped", reason="bootstrap",
                run_id=run_id,
            )  # fmt: skip
        outcome.skipped = len(table_plan.skipped_bootstrap)
        outcome.seconds = round(time.perf_counter() - started, 3)
        return outcome
