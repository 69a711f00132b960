"""Audits that drive the pipeline to prove what it computed, and the full validation suite that includes them (the
point-in-time check recomputes dates in a copy through the pipeline, so it sits above it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import duckdb

from nbaprops.audit.check import SAMPLED, point_in_time
from nbaprops.validation import run_checks
from nbaprops.validation.api import select_specs
from nbaprops.validation.result import CheckResult
from nbaprops.validation.tables import TableSpec, table_specs


def run_validation(
    con: duckdb.DuckDBPyConnection,
    *,
    phase: str | None = None,
    tables: Iterable[str] | None = None,
    specs: dict[str, TableSpec] | None = None,
    **options,
) -> list[CheckResult]:
    """Every check of `nbaprops validate`: the validation checks plus the point-in-time audit (options as
    `nbaprops.validation.run_checks`). The audit, the longer of the two, recomputes its dates in copies of the
    warehouse (other DuckDB databases) on a thread and a connection of its own, while the other checks read the
    warehouse with one DuckDB thread: one core each. DuckDB releases the GIL, so the audit adds little wall time
    (docs/benchmarks.md: a thread per feature table, or both sides on every core, was slower)."""
    chosen = {s.name: s for s in select_specs(specs if specs is not None else table_specs(), phase, tables)}
    audited = {name: spec for name, spec in chosen.items() if name in SAMPLED}
    if not audited:
        return run_checks(con, specs=chosen, **options)
    with con.cursor() as audit_con, ThreadPoolExecutor(max_workers=1, thread_name_prefix="point-in-time") as pool:
        audit = pool.submit(run_checks, audit_con, specs=audited, checks=(point_in_time,), **options)
        with duckdb_threads(con, 1):
            results = run_checks(con, specs=chosen, **options)
        return results + audit.result()


@contextmanager
def duckdb_threads(con: duckdb.DuckDBPyConnection, threads: int) -> Iterator[None]:
    """`con`'s database runs its queries on `threads` threads while the block runs, then on as many as before."""
    (before,) = con.execute("SELECT current_setting('threads')").fetchone()
    con.execute(f"SET threads = {int(threads)}")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(before)}")
