"""Coverage: which expected game dates a table has. Bootstrap days are not expected for tables that declare them;
the naive figure (bootstrap days counted as expected) is reported beside the real one, so nobody has to explain
"88%" again."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from nbaprops.calendar import IN_SCOPE_GAME_TYPES
from nbaprops.pipeline.partitions import compress_dates
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict
from nbaprops.warehouse import ledger


class DateState(StrEnum):
    DONE = "done"
    MISSING = "missing"
    FAILED = "failed"
    BOOTSTRAP = "bootstrap"
    NOT_EXPECTED = "not_expected"  # not played yet, or a game type the table's source does not cover


def _typed_dates(scope: Scope) -> set[dt.date] | None:
    if set(scope.spec.game_types) == set(IN_SCOPE_GAME_TYPES):
        return None
    rows = scope.con.execute(
        "SELECT DISTINCT game_date FROM raw.games WHERE list_contains($types, game_type)",
        {"types": list(scope.spec.game_types)},
    ).fetchall()
    return {r[0] for r in rows}


def _ledger(scope: Scope) -> dict[dt.date, tuple[str, int | None]]:
    if not scope.spec.ledgered:
        return {}
    states = ledger.partition_states(scope.con, scope.table, scope.dates)
    return {d: state_rows for (_table, d), state_rows in states.items()}


def known_gap_dates(scope: Scope) -> dict[str, list[dt.date]]:
    """Reason -> the scope's dates the table lacks because of a declared source gap (thresholds `known_gaps`)."""
    rows = scope.rows_by_date
    gaps: dict[str, list[dt.date]] = {}
    for d in scope.dates:
        gap = None if rows.get(d) else scope.thresholds.known_gap(scope.table, d)
        if gap is not None:
            gaps.setdefault(gap.reason, []).append(d)
    return gaps


def date_states(scope: Scope) -> dict[dt.date, DateState]:
    """State of every candidate date. A derived table's date is done when the ledger says done and its rows are
    still there (rows deleted behind the ledger's back are missing); a raw table's date is done when it has rows.
    A date lacking rows because of a declared source gap is not expected."""
    typed = _typed_dates(scope)
    gaps = {d for dates in known_gap_dates(scope).values() for d in dates}
    rows = scope.rows_by_date
    recorded = _ledger(scope)
    states = {}
    for d in scope.dates:
        if (
            (scope.spec.dates == "played" and d not in scope.calendar.played_dates)
            or (typed is not None and d not in typed)
            or d in gaps
        ):
            states[d] = DateState.NOT_EXPECTED
        elif scope.spec.bootstrap and scope.calendar.is_bootstrap(d):
            states[d] = DateState.BOOTSTRAP
        elif not scope.spec.ledgered:
            states[d] = DateState.DONE if rows.get(d) else DateState.MISSING
        else:
            state, ledger_rows = recorded.get(d, (None, None))
            if state == "done" and (rows.get(d) or ledger_rows == 0):
                states[d] = DateState.DONE
            else:
                states[d] = DateState.FAILED if state == "failed" else DateState.MISSING
    return states


def coverage(scope: Scope) -> list[CheckResult]:
    states = date_states(scope)
    by_state: dict[DateState, list[dt.date]] = {s: [] for s in DateState}
    for d, state in states.items():
        by_state[state].append(d)
    done, missing, failed = by_state[DateState.DONE], by_state[DateState.MISSING], by_state[DateState.FAILED]
    expected = len(done) + len(missing) + len(failed)
    naive_expected = expected + len(by_state[DateState.BOOTSTRAP])
    share = len(done) / expected if expected else 1.0
    naive = len(done) / naive_expected if naive_expected else 1.0
    threshold = scope.thresholds.coverage.min_share
    blocking = scope.thresholds.coverage.blocking and scope.spec.coverage_blocking
    absent = missing + failed
    message = f"{len(done)}/{expected} expected dates ({share:.1%})"
    bootstrap = len(by_state[DateState.BOOTSTRAP])
    if scope.spec.bootstrap:
        message += f"; naive {len(done)}/{naive_expected} ({naive:.1%}) counting {bootstrap} bootstrap days"
    if missing:
        message += f"; missing: {compress_dates(missing, scope.dates)}"
    if failed:
        message += f"; failed: {compress_dates(failed, scope.dates)}"
    if not scope.exists:
        message += " (table does not exist)"
    gaps = known_gap_dates(scope)
    for reason, dates in gaps.items():
        span = compress_dates(dates, scope.dates) if len(dates) <= 3 else f"{len(dates)} dates {dates[0]}..{dates[-1]}"
        message += f"; known gap, not expected: {span} ({reason})"
    return [
        CheckResult(
            name="coverage",
            table=scope.table,
            status=verdict(share >= threshold, blocking),
            measured=share,
            threshold=threshold,
            blocking=blocking,
            message=message,
            details={
                "expected": expected,
                "present": len(done),
                "missing_dates": missing,
                "failed_dates": failed,
                "bootstrap_dates": bootstrap,
                "naive_expected": naive_expected,
                "naive_share": naive,
                "known_gaps": [{"reason": r, "dates": len(ds)} for r, ds in gaps.items()],
            },
            suggested_command=scope.spec.fix_command(absent, failed=bool(failed)) if absent else "",
        )
    ]
