"""Fixtures: writable copies of the corpus warehouse and of the fully built one (`built_db`, tests/conftest.py)."""

from __future__ import annotations

import pytest

from nbaprops.warehouse import connect
from tests.validation.helpers import copy_db


@pytest.fixture
def corpus_copy_path(corpus_db, tmp_path):
    return copy_db(corpus_db, tmp_path)


@pytest.fixture
def corpus_copy(corpus_copy_path):
    con = connect(corpus_copy_path)
    yield con
    con.close()


@pytest.fixture
def built_copy_path(built_db, tmp_path):
    return copy_db(built_db, tmp_path)
