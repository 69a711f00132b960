"""The local 127.0.0.1 server fixture for every live-source test."""

from tests.sources.local_server import local_server  # noqa: F401 (a fixture, found by name)
