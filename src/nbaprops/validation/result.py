"""A check result is data: gates, `nbaprops validate` and the HTML report all read the same records."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class CheckResult:
    """One check on one table. `blocking` says whether a FAIL stops gates and makes `validate` exit 1."""

    name: str
    table: str
    status: Status
    measured: float | None
    threshold: float | None
    blocking: bool
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    suggested_command: str = ""

    @property
    def blocks(self) -> bool:
        return self.blocking and self.status is Status.FAIL

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates become ISO strings."""
        return _jsonable({**asdict(self), "status": str(self.status)})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
