"""Failure categories (SPEC section 7): every failed partition and every failed run gets one, decided by pure rules
so each has a test."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import duckdb

from nbaprops.warehouse.ledger import FAILURE_CATEGORIES


class ConfigurationError(ValueError):
    """A setting or declaration makes the work impossible (a SQL parameter without a value, a bad setting)."""


class NoDataError(RuntimeError):
    """The inputs a partition needs hold no rows at all."""


def categorize(exc: BaseException) -> str:
    """The category of an exception raised while computing a batch."""
    if isinstance(exc, duckdb.InterruptException | TimeoutError):
        return "timeout"
    if isinstance(exc, ConfigurationError):
        return "configuration"
    if isinstance(exc, NoDataError):
        return "no_data"
    if isinstance(exc, duckdb.Error):
        return "processing"
    return "unknown"


def run_category(categories: Iterable[str]) -> str | None:
    """A run's category: the most frequent among its failed partitions (ties: the order of FAILURE_CATEGORIES)."""
    counts = Counter(categories)
    if not counts:
        return None
    return max(FAILURE_CATEGORIES, key=lambda c: (counts[c], -FAILURE_CATEGORIES.index(c)))
