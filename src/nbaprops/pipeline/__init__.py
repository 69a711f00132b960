"""Orchestration: transform declarations, the DAG, date partitions, the runner and run history."""
