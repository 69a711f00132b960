"""Where the live sources are and how hard to hit them: base URLs are configuration so the same clients can run
against a local mirror (tests, replays) as well as the real public hosts. Also the limits that keep one hostile
file or server from taking the machine's memory or the run's time: every limit is a setting, overridable by env."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_NBA_CDN_URL = "https://cdn.nba.com"
DEFAULT_NBA_STATS_URL = "https://stats.nba.com"
DEFAULT_ODDS_API_URL = "https://api.the-odds-api.com"
DEFAULT_INJURY_REPORT_URL = "https://ak-static.cms.nba.com/referee/injury"

# Seconds between two requests to one host; stats.nba.com blocks clients that go faster.
DEFAULT_MIN_INTERVALS = {"stats.nba.com": 1.0}


@dataclass(frozen=True)
class LiveSettings:
    nba_cdn_url: str = DEFAULT_NBA_CDN_URL
    nba_stats_url: str = DEFAULT_NBA_STATS_URL
    odds_api_url: str = DEFAULT_ODDS_API_URL
    injury_report_url: str = DEFAULT_INJURY_REPORT_URL
    odds_api_key: str | None = field(default=None, repr=False)  # never printed
    odds_regions: str = "us"
    cache_dir: Path = Path(".nbaprops-cache")
    timeout: float = 30.0
    attempts: int = 3
    min_interval: float = 0.25  # default seconds between requests to one host
    min_intervals: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_MIN_INTERVALS))
    request_deadline: float = 120.0  # seconds for one request, retries and Retry-After waits included
    run_deadline: float = 1800.0  # seconds for every request of one run (`ingest live`, `daily`)
    refresh: bool = False  # refetch every payload even when cached (`--refresh`)

    def __post_init__(self) -> None:
        for name in ("timeout", "request_deadline", "run_deadline"):
            if not getattr(self, name) > 0:
                raise ValueError(f"live setting {name} must be positive, got {getattr(self, name)}")
        if not self.min_interval >= 0:
            raise ValueError(f"live setting min_interval must be 0 or more, got {self.min_interval}")
        if self.attempts < 1:
            raise ValueError(f"live setting attempts must be at least 1, got {self.attempts}")

    @classmethod
    def from_env(cls, **overrides: object) -> LiveSettings:
        env = os.environ
        values: dict[str, object] = {
            "nba_cdn_url": env.get("NBAPROPS_NBA_CDN_URL", DEFAULT_NBA_CDN_URL),
            "nba_stats_url": env.get("NBAPROPS_NBA_STATS_URL", DEFAULT_NBA_STATS_URL),
            "odds_api_url": env.get("NBAPROPS_ODDS_API_URL", DEFAULT_ODDS_API_URL),
            "injury_report_url": env.get("NBAPROPS_INJURY_REPORT_URL", DEFAULT_INJURY_REPORT_URL),
            "odds_api_key": env.get("ODDS_API_KEY") or None,
            "cache_dir": Path(env.get("NBAPROPS_CACHE_DIR", ".nbaprops-cache")),
        }
        for name, var, kind in _NUMERIC_ENV:
            if env.get(var):
                values[name] = _number(var, env[var], kind)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log, the ledger, a file name or an error message."""
        return tuple(s for s in (self.odds_api_key,) if s)


_NUMERIC_ENV: tuple[tuple[str, str, type], ...] = (
    ("timeout", "NBAPROPS_HTTP_TIMEOUT", float),
    ("attempts", "NBAPROPS_HTTP_ATTEMPTS", int),
    ("min_interval", "NBAPROPS_HTTP_MIN_INTERVAL", float),
    ("request_deadline", "NBAPROPS_REQUEST_DEADLINE", float),
    ("run_deadline", "NBAPROPS_RUN_DEADLINE", float),
)


def _number(var: str, text: str, kind: type) -> float | int:
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{var}={text!r} is not a {kind.__name__}") from None


@dataclass(frozen=True)
class ReadLimits:
    """How far an archive file may decompress: at most `max_ratio` times its compressed size (but always
    `min_allowance` bytes, so a tiny file of repeated text still reads) and never more than `max_bytes`.

    The corpus peaks at a ratio of 19.8 (odds_api_player_points gzip) and 44.9 MB (a shots zip member), so the
    defaults leave a 5x and 11x margin while a 400 KB zip can no longer expand to 400 MB.
    """

    max_ratio: float = 100.0
    max_bytes: int = 512 << 20
    min_allowance: int = 8 << 20

    def __post_init__(self) -> None:
        if self.max_ratio <= 0 or self.max_bytes <= 0 or self.min_allowance < 0:
            raise ValueError(f"read limits must be positive: {self}")

    @classmethod
    def from_env(cls) -> ReadLimits:
        env, values = os.environ, {}
        if ratio := env.get("NBAPROPS_MAX_COMPRESSION_RATIO"):
            values["max_ratio"] = _number("NBAPROPS_MAX_COMPRESSION_RATIO", ratio, float)
        if mb := env.get("NBAPROPS_MAX_DECOMPRESSED_MB"):
            values["max_bytes"] = int(_number("NBAPROPS_MAX_DECOMPRESSED_MB", mb, float) * (1 << 20))
        return cls(**values)

    def allowed(self, compressed: int) -> int:
        """Bytes a member of `compressed` bytes may decompress to."""
        return min(self.max_bytes, max(int(compressed * self.max_ratio), self.min_allowance))
