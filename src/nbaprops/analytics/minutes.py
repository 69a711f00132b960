"""Minutes played as the sources write them, parsed to decimal minutes (SPEC section 3).

The reference system's parser turned "45:58" into NULL for 99.5% of rows; here every accepted form is explicit, an
unreadable value or seconds outside 0-59 raise `MinutesError` (reported, never a silent NULL), and the SQL twin
`parse_minutes` / `minutes_error` (migration 0004) follows the same rules, held to them by a property test.
"""

from __future__ import annotations

import math
import re

CLOCK = re.compile(r"([0-9]+):([0-9]{2})")  # "36:11"
ISO = re.compile(r"PT(?:([0-9]+)M)?(?:([0-9]+(?:\.[0-9]+)?)S)?")  # "PT34M12.00S"
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # "28", "28.5"
BLANKS = ("", "-")


class MinutesError(ValueError):
    """A minutes value that is present but cannot be true (unreadable, or seconds outside 0-59)."""


def parse_minutes(value: str | float | int | None) -> float | None:
    """Decimal minutes of `value`; None for a blank ('', '-', None, NaN). Raises MinutesError on a bad value."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise MinutesError(f"unreadable minutes {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if value < 0 or math.isinf(value):
            raise MinutesError(f"unreadable minutes {value!r}")
        return float(value)
    text = value.strip(" ")
    if text in BLANKS:
        return None
    if match := CLOCK.fullmatch(text):
        return float(match.group(1)) + _seconds(match.group(2), value) / 60
    if text != "PT" and (match := ISO.fullmatch(text)):
        return float(match.group(1) or 0) + _seconds(match.group(2) or "0", value) / 60
    if NUMBER.fullmatch(text):
        return float(text)
    raise MinutesError(f"unreadable minutes {value!r}")


def _seconds(text: str, value: object) -> float:
    seconds = float(text)
    if seconds >= 60:
        raise MinutesError(f"seconds out of range 0-59 in minutes {value!r}")
    return seconds
