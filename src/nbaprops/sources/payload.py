"""What every live parser returns: rows for a raw table plus the records it could not use, each with a reason.

A parser raises `PayloadError` when the payload as a whole is unusable (not JSON, cut short, missing its top-level
fields); the loader quarantines the payload under that reason. Problems with single records travel in
`ParseResult.problems`, so the good records of a payload still load. `checked_parse` is how every parser is called:
it turns a shape the parser did not expect into a `PayloadError` and rejects records holding non-finite numbers
(JSON's `Infinity`/`NaN`, `1e999`), so neither an exception nor an infinite price reaches a table.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")


class PayloadError(ValueError):
    """The payload cannot be parsed at all."""


# What a parser may raise on one record of an unexpected shape (a string where a dict was, int(inf), ...).
RECORD_ERRORS = (KeyError, TypeError, ValueError, OverflowError, AttributeError, IndexError)


@dataclass
class ParseResult:
    """`rows` use the raw table's column names and carry `source_line` (the record's position in the payload)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)  # (source_line, reason, record)

    @property
    def records(self) -> int:
        return len(self.rows) + len({line for line, _, _ in self.problems})

    def reject(self, line: int | None, reason: str, record: object) -> None:
        self.problems.append((line, reason, json.dumps(record, default=str)[:4000]))


def non_finite(value: object) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def checked_parse(parse: Callable[[bytes], ParseResult], content: bytes) -> ParseResult:
    """`parse(content)`, with an unexpected shape as a `PayloadError` and rows holding a non-finite number moved to
    the problems (reason names the column and value)."""
    try:
        result = parse(content)
    except PayloadError:
        raise
    except (*RECORD_ERRORS, RecursionError) as exc:
        raise PayloadError(f"unexpected payload shape ({type(exc).__name__}: {exc})") from None
    if not isinstance(result, ParseResult):
        raise PayloadError(f"the parser returned {type(result).__name__}, not a ParseResult")
    good = []
    for row in result.rows:
        bad = [f"{k} = {v}" for k, v in row.items() if non_finite(v)]
        if bad:
            result.reject(row.get("source_line"), f"non-finite number: {', '.join(bad)}", row)
        else:
            good.append(row)
    result.rows = good
    return result


@dataclass(frozen=True)
class LiveRequest:
    """One payload to fetch and where its rows go: the HTTP request, its parser and target table.

    `source` names the endpoint (ledger source, cache folder). `table` None means the payload only steers other
    requests (event lists). `refresh` refetches even when cached (current-state endpoints); `snapshot` keeps
    the rows of every distinct payload instead of replacing the request's earlier rows (line movement).
    """

    source: str
    table: str | None
    url: str
    parse: Callable[[bytes], ParseResult]
    params: Mapping[str, object] = field(default_factory=dict)
    secret_params: Mapping[str, str] = field(default_factory=dict, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict)
    refresh: bool = False
    snapshot: bool = False
    part: str | None = None  # one payload feeding several tables: which one (its rows are named `url#part`)

    def checked_parse(self, content: bytes) -> ParseResult:
        return checked_parse(self.parse, content)


def load_json(content: bytes) -> Any:
    """Decoded JSON (gzip-wrapped or not), or a `PayloadError` saying it is cut short or malformed."""
    if content[:2] == b"\x1f\x8b":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError, zlib.error) as exc:
            raise PayloadError(f"not a readable gzip body ({exc}), possibly truncated") from None
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadError(f"not valid JSON ({exc}); {len(content)} bytes, possibly truncated") from None


def dig(obj: Any, *path: str | int) -> Any:
    """`obj[path[0]][path[1]]...`, or a `PayloadError` naming the first missing step."""
    for i, step in enumerate(path):
        try:
            obj = obj[step]
        except (KeyError, IndexError, TypeError):
            where = "".join(f"[{p!r}]" for p in path[: i + 1])
            raise PayloadError(f"missing field {where}") from None
    return obj


def utc_timestamp(text: str) -> dt.datetime:
    """ISO-8601 with `Z` or an offset -> naive UTC."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def eastern_date(utc: dt.datetime) -> dt.date:
    """The US Eastern calendar date of a naive-UTC instant (the game date convention of SPEC section 2)."""
    return utc.replace(tzinfo=dt.UTC).astimezone(EASTERN).date()


def eastern_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of an Eastern calendar day as naive UTC."""
    start = dt.datetime.combine(day, dt.time(), EASTERN)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), EASTERN)
    return start.astimezone(dt.UTC).replace(tzinfo=None), end.astimezone(dt.UTC).replace(tzinfo=None)
