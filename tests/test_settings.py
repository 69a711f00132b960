"""One settings object: defaults, then the TOML file, then NBAPROPS_* variables, then what a caller passes; bad
values are errors that name the setting."""

import pytest
from pydantic import ValidationError

from nbaprops.settings import get_settings


def test_precedence_is_file_then_environment_then_caller(tmp_path, monkeypatch):
    settings_file = tmp_path / "nbaprops.toml"
    settings_file.write_text('bootstrap_days = 7\nbookmaker_priority = ["fanduel"]\ndb = "from_file.duckdb"\n')
    monkeypatch.setenv("NBAPROPS_SETTINGS_FILE", str(settings_file))
    monkeypatch.delenv("NBAPROPS_BOOTSTRAP_DAYS", raising=False)
    monkeypatch.delenv("NBAPROPS_DB", raising=False)
    assert get_settings().bootstrap_days == 7
    assert get_settings().bookmaker_priority == ("fanduel",)
    monkeypatch.setenv("NBAPROPS_BOOTSTRAP_DAYS", "9")
    assert get_settings().bootstrap_days == 9
    assert get_settings(bootstrap_days=11).bootstrap_days == 11
    assert str(get_settings().db) == "from_file.duckdb"
    assert get_settings(db=None).db.name == "from_file.duckdb"  # an option not given changes nothing


@pytest.mark.parametrize(("name", "value"), [("NBAPROPS_BOOTSTRAP_DAYS", "-1"), ("NBAPROPS_BOOTSTRAP_DAYS", "x")])
def test_a_bad_value_names_the_setting(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match="bootstrap_days"):
        get_settings()


def test_an_unknown_key_in_the_file_is_an_error(tmp_path, monkeypatch):
    settings_file = tmp_path / "nbaprops.toml"
    settings_file.write_text("bootstrap_dayz = 7\n")
    monkeypatch.setenv("NBAPROPS_SETTINGS_FILE", str(settings_file))
    with pytest.raises(ValidationError, match="bootstrap_dayz"):
        get_settings()
