"""nbaprops: NBA player-points props, from raw data to verifiable predictions.

From Python: `nbaprops.open()` returns the warehouse (see nbaprops.api and docs/python-api.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbaprops.api import Result, Warehouse, open

__version__ = "0.1.0"
__all__ = ["Result", "Warehouse", "__version__", "open"]


def __getattr__(name: str):
    """The Python API on first use: importing it (pyarrow) would slow every `nbaprops` command's start."""
    if name in ("Result", "Warehouse", "open"):
        from nbaprops import api

        return getattr(api, name)
    raise AttributeError(f"module 'nbaprops' has no attribute {name!r}")
