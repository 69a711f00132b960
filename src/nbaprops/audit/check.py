"""Point-in-time sample check: a few feature-store dates recomputed in a copy of the warehouse that has forgotten
them and everything after (audit/point_in_time.py) must equal the stored features exactly. The dates are drawn
from a seed (thresholds `point_in_time.seed`; by default a new one per run) reported with the result, so runs cover
different dates and any run can be repeated."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from nbaprops.audit.point_in_time import EARLY_SEASON, compare_features, recomputed
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict
from nbaprops.warehouse import database_file

TABLE = "features.ml_feature_store"
# The early-season rows are sampled on every date they have (bootstrap dates and first games): the feature store's
# dates exclude the bootstrap days, where it has no rows.
SAMPLED = {TABLE: "NOT is_bootstrap", EARLY_SEASON: "true"}


def point_in_time(scope: Scope) -> list[CheckResult]:
    settings = scope.thresholds.point_in_time
    path = database_file(scope.con) if scope.table in SAMPLED and scope.exists and settings.dates else None
    if path is None:
        return []
    table = scope.table

    stored_dates = [
        d for (d,) in scope.con.execute(
            f"SELECT DISTINCT game_date FROM {table} WHERE {scope.in_dates} AND {SAMPLED[table]} ORDER BY 1"
        ).fetchall()
    ]  # fmt: skip
    seed = settings.seed if settings.seed is not None else time.time_ns() % 2**32  # a new sample every run
    days = sorted(random.Random(seed).sample(stored_dates, min(settings.dates, len(stored_dates))))
    mismatches, pairs_checked = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for day in days:
            pairs = scope.con.execute(
                f"SELECT player_id, game_id FROM {table} WHERE game_date = ? ORDER BY hash(player_id) LIMIT ?",
                [day, settings.players_per_date],
            ).fetchall()
            with recomputed(path, day, Path(tmp), table=table, keep=False) as copy:
                mismatches += compare_features(scope.con, copy, pairs, table)
            pairs_checked += len(pairs)
    message = (
        f"{pairs_checked} sampled player-games on {', '.join(map(str, days)) or 'no dates'} (seed {seed}) "
        f"recomputed from data before their date: {len(mismatches)} feature values differ"
    )
    if not pairs_checked:
        message += ": nothing was checked"
    return [
        CheckResult(
            name="point_in_time",
            table=table,
            status=verdict(pairs_checked > 0 and not mismatches, settings.blocking),
            measured=float(len(mismatches)),
            threshold=0.0,
            blocking=settings.blocking,
            message=message,
            details={
                "dates": days,
                "seed": seed,
                "pairs_checked": pairs_checked,
                "mismatches": [m.__dict__ for m in mismatches[:10]],
            },
            suggested_command=f"nbaprops backfill --tables {table} --dates {','.join(map(str, days))} --no-resume"
            if mismatches
            else "",
        )
    ]
