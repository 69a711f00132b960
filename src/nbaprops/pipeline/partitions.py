"""Date partitions: small pure functions that decide what a run must compute. No database access here, so every
rule has a fast test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from nbaprops.calendar import season_year_of


class Reason(StrEnum):
    """Why a partition is in the plan."""

    MISSING = "missing"
    STALE_CODE = "stale: transform changed"
    STALE_INPUT = "stale: inputs changed"
    FAILED = "failed before"
    FORCED = "forced"
    UPSTREAM = "upstream recomputed"


class ReprocessMode(StrEnum):
    MISSING = "missing"  # default: what is not done (or is stale)
    FAILED = "failed"  # missing + failed
    ALL = "all"  # everything in range


@dataclass(frozen=True)
class PartitionRecord:
    """A row of ops.partitions as the planner needs it."""

    state: str  # done | failed | skipped
    transform_fingerprint: str | None
    input_fingerprint: str | None
    rows: int | None = None  # as recorded
    rows_present: int | None = None  # in the table now (None: not counted)


def expected_dates(
    game_dates: Iterable[dt.date],
    *,
    is_bootstrap,
    skip_bootstrap: bool,
    only: frozenset[dt.date] | None = None,
) -> list[dt.date]:
    """Expected partitions: the game dates given, minus bootstrap days when the table skips them, restricted to an
    explicit date list when one was asked for."""
    return sorted(
        d for d in set(game_dates) if not (skip_bootstrap and is_bootstrap(d)) and (only is None or d in only)
    )


def partition_reason(
    record: PartitionRecord | None,
    *,
    transform_fingerprint: str,
    input_fingerprint: str | None,
    mode: ReprocessMode,
) -> Reason | None:
    """Why this partition must be computed now, or None when it is done and fresh."""
    if mode is ReprocessMode.ALL:
        return Reason.FORCED
    if record is None:
        return Reason.MISSING
    if record.state == "failed":
        if mode is ReprocessMode.FAILED:
            return Reason.FAILED
        # a failure under other code, or with other inputs, may be fixed now: retry it; else wait for --retry-failed
        if record.transform_fingerprint != transform_fingerprint:
            return Reason.STALE_CODE
        if input_fingerprint is not None and record.input_fingerprint not in (None, input_fingerprint):
            return Reason.STALE_INPUT
        return None
    if record.state != "done":
        return Reason.MISSING
    if record.rows and record.rows_present == 0:
        return Reason.MISSING  # rows deleted behind the ledger's back
    if record.transform_fingerprint != transform_fingerprint:
        return Reason.STALE_CODE
    if input_fingerprint is not None and record.input_fingerprint != input_fingerprint:
        return Reason.STALE_INPUT
    return None


def affected_downstream(
    upstream_dates: Iterable[dt.date],
    candidate_dates: Sequence[dt.date],
    *,
    lookback: str,
) -> list[dt.date]:
    """Dates of a downstream table that read any of `upstream_dates`: the same dates for a same-date read; for a
    season read, every later date of the same season too; for a history read, every later date."""
    upstream = set(upstream_dates)
    if not upstream:
        return []
    if lookback == "same_date":
        return [d for d in candidate_dates if d in upstream]
    if lookback == "history":
        first = min(upstream)
        return [d for d in candidate_dates if d >= first]
    first_by_season: dict[int, dt.date] = {}
    for d in upstream:
        season = season_year_of(d)
        first_by_season[season] = min(d, first_by_season.get(season, d))
    return [
        d for d in candidate_dates if season_year_of(d) in first_by_season and d >= first_by_season[season_year_of(d)]
    ]


def contiguous_batches(dates: Sequence[dt.date], all_dates: Sequence[dt.date], batch_days: int) -> list[list[dt.date]]:
    """Split `dates` into batches of at most `batch_days` dates that are contiguous in `all_dates` (the table's
    expected dates) and never cross a season boundary (July 1): one batch is one set-based SQL execution."""
    if batch_days < 1:
        raise ValueError("batch_days must be at least 1")
    position = {d: i for i, d in enumerate(sorted(all_dates))}
    batches: list[list[dt.date]] = []
    for d in sorted(dates):
        if d not in position:
            raise ValueError(f"{d} is not an expected date")
        if batches:
            last = batches[-1]
            same_season = season_year_of(last[-1]) == season_year_of(d)
            if len(last) < batch_days and position[d] == position[last[-1]] + 1 and same_season:
                last.append(d)
                continue
        batches.append([d])
    return batches


def compress_dates(dates: Iterable[dt.date], all_dates: Sequence[dt.date]) -> str:
    """`2024-11-01..2024-11-05, 2024-11-09` - runs of consecutive expected dates, for messages people read."""
    position = {d: i for i, d in enumerate(sorted(all_dates))}
    runs: list[list[dt.date]] = []
    for d in sorted(set(dates)):
        if runs and d in position and runs[-1][-1] in position and position[d] == position[runs[-1][-1]] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(f"{r[0]}..{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
