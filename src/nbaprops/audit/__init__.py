"""Audits that drive the pipeline to prove what it computed, and the full validation suite that includes them (the
point-in-time check recomputes dates in a copy through the pipeline, so it sits above it)."""

from __future__ import annotations

import duckdb

from nbaprops.audit.check import point_in_time
from nbaprops.validation import run_checks
from nbaprops.validation.result import CheckResult


def run_validation(con: duckdb.DuckDBPyConnection, **options) -> list[CheckResult]:
    """Every check of `nbaprops validate`: the validation checks plus the point-in-time audit (options as
    `nbaprops.validation.run_checks`)."""
    return run_checks(con, extra_checks=(point_in_time,), **options)
