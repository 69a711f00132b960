"""The ML feature store: one row per (player, game) with named, point-in-time-correct features."""
