"""One settings object for the whole product (pydantic-settings): defaults, then a TOML file, then `NBAPROPS_*`
environment variables, then what a command line or caller passes; read by the planner, the SQL parameters,
validation and the models alike, so no two parts can disagree about, say, the bootstrap length."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

SETTINGS_FILE_ENV = "NBAPROPS_SETTINGS_FILE"
DEFAULT_SETTINGS_FILE = "nbaprops.toml"
# Preferred bookmakers for "the" prop line, first match wins (SPEC section 4).
DEFAULT_BOOKMAKER_PRIORITY = ("draftkings", "fanduel", "betmgm", "williamhill_us", "betrivers", "bovada")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NBAPROPS_", extra="forbid", frozen=True)

    db: Path = Field(Path("nbaprops.duckdb"), description="the warehouse file")
    archive: Path = Field(Path("../shared/data/nba"), description="the archive corpus folder")
    bootstrap_days: int = Field(14, ge=0, le=60, description="days from a season's start without phase-4 rows")
    bookmaker_priority: tuple[str, ...] = Field(DEFAULT_BOOKMAKER_PRIORITY, min_length=1)
    thresholds: Path | None = Field(None, description="validation thresholds YAML (the packaged one when unset)")
    models_dir: Path | None = Field(None, description="trained model artifacts (default: models/ beside the warehouse)")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get(SETTINGS_FILE_ENV, DEFAULT_SETTINGS_FILE))
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file)


def get_settings(**overrides: object) -> Settings:
    """The settings in force: file, environment, then `overrides` (e.g. command-line options that were given)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
