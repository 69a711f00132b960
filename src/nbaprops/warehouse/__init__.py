"""The DuckDB warehouse: one file, versioned migrations applied on first use."""

from nbaprops.warehouse.connection import WarehouseLocked, connect, migrate

__all__ = ["WarehouseLocked", "connect", "migrate"]
