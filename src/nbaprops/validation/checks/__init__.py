"""The checks. Each takes a `Scope` (one table, some dates) and returns CheckResults, empty when it does not apply."""
