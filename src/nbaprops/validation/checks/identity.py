"""Player identity: every played Basketball-Reference player-game carries an NBA person id, and the identity is
current (a run that stopped between a file's commit and the identity rebuild leaves it stale until the next
ingest repairs it)."""

from __future__ import annotations

from nbaprops.raw.players import identity_report, identity_stale
from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict

TABLE = "raw.player_boxscores"
FIX = "nbaprops ingest archive"  # the next ingest rebuilds a stale identity even when no file changed


def identity(scope: Scope) -> list[CheckResult]:
    if scope.table != TABLE or not scope.exists:
        return []
    report = identity_report(scope.con)
    stale = identity_stale(scope.con)
    unresolved = report.played_rows - report.resolved_rows
    if report.played_rows == 0:
        return []  # no Basketball-Reference rows: nothing to resolve (a live-only warehouse)
    problems = []
    if stale:
        problems.append(f"stale: {stale} file(s) applied after the last identity rebuild")
    if unresolved:
        problems.append(f"{unresolved:,} of {report.played_rows:,} played player-games without an NBA id")
    return [
        CheckResult(
            name="identity",
            table=TABLE,
            status=verdict(not problems, True),
            measured=float(unresolved + stale),
            threshold=0.0,
            blocking=True,
            message="; ".join(problems)
            or f"{report.resolved_rows:,} of {report.played_rows:,} played player-games resolved; identity current",
            details={"stale_files": stale, "unresolved": [list(u) for u in report.unresolved[:20]]},
            suggested_command=FIX if problems else "",
        )
    ]
