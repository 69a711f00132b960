"""Player names as keys for name-only sources (prop lines, injury reports).

`player_lookup` is the Python twin of the SQL macro of the same name: lowercase, accents stripped, every
non-alphanumeric removed (`D'Angelo Russell` -> `dangelorussell`).
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]")


def player_lookup(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", stripped.lower())
