"""Where the live sources are and how hard to hit them: base URLs are configuration so the same clients can run
against a local mirror (tests, replays) as well as the real public hosts."""

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
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach a log, the ledger, a file name or an error message."""
        return tuple(s for s in (self.odds_api_key,) if s)
