"""nbaprops: NBA player-points props, from raw data to verifiable predictions."""

__version__ = "0.1.0"
