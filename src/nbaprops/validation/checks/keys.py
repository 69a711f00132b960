"""Key uniqueness: no table carries PRIMARY KEY constraints (see docs/architecture.md), so this check is what
enforces them."""

from __future__ import annotations

from nbaprops.validation.result import CheckResult
from nbaprops.validation.scope import Scope, verdict

SHOWN = 20


def key_uniqueness(scope: Scope) -> list[CheckResult]:
    keys = scope.spec.keys
    if not scope.exists or not keys or any(k not in scope.columns for k in keys):
        return []
    key_list = ", ".join(keys)
    any_null = " OR ".join(f"{k} IS NULL" for k in keys)
    dupes = scope.con.execute(
        f"SELECT {key_list}, count(*) AS n, min({scope.pcol}) AS d FROM {scope.table} WHERE {scope.in_dates} "
        f"GROUP BY ALL HAVING count(*) > 1 OR bool_or({any_null}) ORDER BY d, n DESC"
    ).fetchall()
    blocking = scope.thresholds.keys.blocking
    bad_dates = sorted({row[-1] for row in dupes})
    shown = [dict(zip([*keys, "rows"], row[:-1], strict=True)) for row in dupes[:SHOWN]]
    message = f"{len(dupes)} duplicate or NULL keys ({key_list})"
    if dupes:
        message += f" on {len(bad_dates)} dates, first {bad_dates[0]}"
    return [
        CheckResult(
            name="key_uniqueness",
            table=scope.table,
            status=verdict(not dupes, blocking),
            measured=float(len(dupes)),
            threshold=0.0,
            blocking=blocking,
            message=message,
            details={"keys": list(keys), "bad_keys": shown, "bad_dates": bad_dates},
            suggested_command=scope.spec.fix_command(bad_dates, rebuild=True) if dupes else "",
        )
    ]
