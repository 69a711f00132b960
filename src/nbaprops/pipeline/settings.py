"""Values every transform's SQL may refer to as `$name`, from configuration."""

from __future__ import annotations

import os

from nbaprops.calendar import DEFAULT_BOOTSTRAP_DAYS

# Preferred bookmakers for "the" prop line, first match wins (SPEC section 4).
DEFAULT_BOOKMAKER_PRIORITY = ("draftkings", "fanduel", "betmgm", "williamhill_us", "betrivers", "bovada")


def pipeline_settings() -> dict[str, object]:
    return {
        "bootstrap_days": int(os.environ.get("NBAPROPS_BOOTSTRAP_DAYS", DEFAULT_BOOTSTRAP_DAYS)),
        "bookmaker_priority": list(DEFAULT_BOOKMAKER_PRIORITY),
    }
