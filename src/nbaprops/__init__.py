"""nbaprops: NBA player-points props, from raw data to verifiable predictions.

From Python: `nbaprops.open()` returns the warehouse (see nbaprops.api and docs/python-api.md).
"""

from nbaprops.api import Result, Warehouse, open

__version__ = "0.1.0"
__all__ = ["Result", "Warehouse", "__version__", "open"]
