"""Fixtures: a writable copy of the fully built warehouse (`built_db`, tests/conftest.py); corpus copies are in
tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.validation.helpers import copy_db


@pytest.fixture
def built_copy_path(built_db, tmp_path):
    return copy_db(built_db, tmp_path)
