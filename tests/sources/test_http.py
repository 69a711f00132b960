"""The HTTP layer: cache, retries with backoff, rate limit, and secrets kept out of everything it writes."""

import datetime as dt
import email.utils
import gzip
import json
import re

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.sources.http import (
    DeadlinePassed,
    FetchError,
    HttpClient,
    InvalidPayload,
    NotFound,
    RateLimiter,
    RunDeadlinePassed,
    redact,
    retry_after_seconds,
)
from nbaprops.sources.payload import PayloadError
from nbaprops.sources.settings import LiveSettings
from tests.sources.local_server import body, echo, sequence
from tests.sources.samples import FAKE_KEY, live_settings, offline_client

URL = "https://cdn.test/static/json/x.json"


@respx.mock
def test_a_cached_payload_is_never_refetched_unless_refreshed(tmp_path):
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=b'{"a": 1}'))
    client = offline_client(live_settings(tmp_path))
    first = client.get("src", URL)
    second = client.get("src", URL)
    assert route.call_count == 1 and second.from_cache and second.content == first.content
    assert first.cache_path.name == f"{first.sha256}.gz"
    route.mock(return_value=httpx.Response(200, content=b'{"a": 2}'))
    third = client.get("src", URL, refresh=True)
    assert route.call_count == 2 and third.content == b'{"a": 2}'
    assert len(list(first.cache_path.parent.glob("*.gz"))) == 2  # every version is kept


@respx.mock
def test_429_then_success_retries_with_backoff(tmp_path):
    route = respx.get(URL).mock(side_effect=[httpx.Response(429), httpx.Response(200, content=b"{}")])
    assert offline_client(live_settings(tmp_path)).get("src", URL).content == b"{}"
    assert route.call_count == 2


@respx.mock
def test_timeouts_are_retried_and_then_fail_clearly(tmp_path):
    respx.get(URL).mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(FetchError, match="failed after 3 attempts: timeout"):
        offline_client(live_settings(tmp_path)).get("src", URL)


@respx.mock
def test_404_is_not_retried(tmp_path):
    route = respx.get(URL).mock(return_value=httpx.Response(404))
    with pytest.raises(NotFound):
        offline_client(live_settings(tmp_path)).get("src", URL)
    assert route.call_count == 1


def test_rate_limiter_spaces_requests_per_host():
    now = [0.0]
    sleeps = []
    limiter = RateLimiter(0.5, {"stats.nba.com": 2.0}, clock=lambda: now[0], sleep=sleeps.append)
    limiter.wait("stats.nba.com")
    now[0] = 0.5
    limiter.wait("stats.nba.com")
    limiter.wait("cdn.nba.com")
    assert sleeps == [1.5]


def test_redact_hides_keys_and_key_parameters():
    assert redact(f"https://x/?apiKey={FAKE_KEY}&a=1") == "https://x/?apiKey=***&a=1"
    assert FAKE_KEY not in redact(f"error: {FAKE_KEY}", [FAKE_KEY])


@respx.mock
def test_secret_params_stay_out_of_urls_and_cache_names(tmp_path):
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=b"{}"))
    fetched = offline_client(live_settings(tmp_path)).get("src", URL, {"a": 1}, secret_params={"apiKey": FAKE_KEY})
    assert route.calls.last.request.url.params["apiKey"] == FAKE_KEY  # sent on the wire
    assert FAKE_KEY not in fetched.url and FAKE_KEY not in str(fetched.cache_path)


# Against a real 127.0.0.1 server: Retry-After, deadlines, bodies that echo the key.


def _client(tmp_path, sleeps: list[float], **settings) -> HttpClient:
    return HttpClient(live_settings(tmp_path, min_interval=0.0, **settings), backoff=lambda _n: 5.0,
                      sleep=sleeps.append)  # fmt: skip


def test_retry_after_seconds_is_honoured_instead_of_the_backoff(local_server, tmp_path):
    local_server.override("/x.json", sequence(body(b"", 429, {"Retry-After": "7"}), body(b'{"ok": 1}')))
    sleeps: list[float] = []
    fetched = _client(tmp_path, sleeps).get("src", f"{local_server.base}/x.json")
    assert fetched.content == b'{"ok": 1}' and sleeps == [7.0]


def test_retry_after_as_an_http_date_is_honoured(local_server, tmp_path):
    when = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True)
    local_server.override("/x.json", sequence(body(b"", 503, {"Retry-After": when}), body(b"{}")))
    sleeps: list[float] = []
    _client(tmp_path, sleeps).get("src", f"{local_server.base}/x.json")
    assert len(sleeps) == 1 and 27 <= sleeps[0] <= 30


def test_a_retry_after_beyond_the_deadline_fails_at_once(local_server, tmp_path):
    local_server.override("/x.json", body(b"", 429, {"Retry-After": "3600"}))
    sleeps: list[float] = []
    with pytest.raises(DeadlinePassed, match=r"asks to retry after 3600 s, past the 120 s request deadline") as exc:
        _client(tmp_path, sleeps).get("src", f"{local_server.base}/x.json")
    assert sleeps == [] and exc.value.status == 429 and len(local_server.seen) == 1


def test_backoff_that_would_pass_the_deadline_is_not_waited(local_server, tmp_path):
    local_server.override("/x.json", body(b"", 500))
    sleeps: list[float] = []
    with pytest.raises(DeadlinePassed, match=r"next retry in 5.0 s, past the 4 s request deadline"):
        _client(tmp_path, sleeps, request_deadline=4.0).get("src", f"{local_server.base}/x.json")
    assert sleeps == []


def test_the_run_deadline_refuses_new_requests_but_cached_payloads_still_serve(local_server, tmp_path):
    now = [0.0]
    client = HttpClient(live_settings(tmp_path, min_interval=0.0, run_deadline=10.0), clock=lambda: now[0])
    url = f"{local_server.base}/x.json"
    local_server.override("/x.json", body(b"{}"))
    client.get("src", url)
    now[0] = 11.0
    assert client.run_expired and client.get("src", url).from_cache
    with pytest.raises(RunDeadlinePassed, match=r"not sent: the run's 10 s deadline \(NBAPROPS_RUN_DEADLINE\)"):
        client.get("src", url, refresh=True)
    assert len(local_server.seen) == 1


def test_an_echoed_key_is_redacted_from_the_body_even_inside_gzip(local_server, tmp_path):
    def gzip_echo(h):
        body(gzip.compress(f'{{"url": "{h.path}"}}'.encode()))(h)

    local_server.override("/plain", echo)
    local_server.override("/gz", gzip_echo)
    client = _client(tmp_path, [])
    html = client.get("src", f"{local_server.base}/plain", {"a": 1}, secret_params={"apiKey": FAKE_KEY})
    packed = client.get("src", f"{local_server.base}/gz", secret_params={"apiKey": FAKE_KEY})
    assert all(FAKE_KEY in p for p in local_server.seen)  # sent on the wire, echoed back ...
    assert FAKE_KEY.encode() not in html.content and b"apiKey=***" in html.content  # ... and scrubbed
    assert json.loads(gzip.decompress(packed.content))["url"].endswith("apiKey=***")
    for path in (tmp_path / "cache").rglob("*.gz"):
        assert FAKE_KEY.encode() not in gzip.decompress(path.read_bytes())


@respx.mock
def test_a_payload_the_parser_refuses_is_not_cached_and_a_refused_cache_entry_is_evicted(tmp_path):
    def parse(content: bytes):
        if not content.startswith(b"{"):
            raise PayloadError("not JSON")
        return content

    route = respx.get(URL).mock(return_value=httpx.Response(200, content=b"<html>busy</html>"))
    client = offline_client(live_settings(tmp_path))
    message = f"src: GET {URL} -> unusable payload, not cached: not JSON"
    with pytest.raises(InvalidPayload, match=re.escape(message)) as exc:
        client.get("src", URL, parse=parse)
    assert exc.value.content == b"<html>busy</html>" and not list(tmp_path.rglob("*.gz"))
    client.get("src", URL)  # cached without a parser: what an older version did
    route.mock(return_value=httpx.Response(200, content=b'{"a": 1}'))
    fetched = client.get("src", URL, parse=parse)
    assert fetched.parsed == b'{"a": 1}' and not fetched.from_cache and route.call_count == 3
    assert client.get("src", URL, parse=parse).from_cache


@respx.mock
def test_an_unreadable_cache_file_is_a_miss_not_a_crash(tmp_path):
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=b"{}"))
    client = offline_client(live_settings(tmp_path))
    first = client.get("src", URL)
    first.cache_path.write_bytes(b"\x1f\x8b cut")
    assert not client.get("src", URL).from_cache and route.call_count == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", 120.0), ("0", 0.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_retry_after_values(value, expected):
    assert retry_after_seconds(value) == expected


@given(st.integers(min_value=0, max_value=10**6))
def test_retry_after_http_date_round_trips(seconds):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    header = email.utils.format_datetime(now + dt.timedelta(seconds=seconds), usegmt=True)
    assert retry_after_seconds(header, now) == seconds


def test_live_settings_from_env_are_validated(monkeypatch):
    monkeypatch.setenv("NBAPROPS_REQUEST_DEADLINE", "5")
    monkeypatch.setenv("NBAPROPS_RUN_DEADLINE", "60")
    settings = LiveSettings.from_env()
    assert (settings.request_deadline, settings.run_deadline) == (5.0, 60.0)
    monkeypatch.setenv("NBAPROPS_RUN_DEADLINE", "0")
    with pytest.raises(ValueError, match="run_deadline must be positive, got 0"):
        LiveSettings.from_env()
    monkeypatch.setenv("NBAPROPS_RUN_DEADLINE", "soon")
    with pytest.raises(ValueError, match="NBAPROPS_RUN_DEADLINE='soon' is not a float"):
        LiveSettings.from_env()
