"""The DuckDB warehouse: one file, versioned migrations applied on first use."""

from nbaprops.warehouse.connection import WarehouseLocked, connect, database_file, migrate

__all__ = ["WarehouseLocked", "connect", "database_file", "migrate"]
