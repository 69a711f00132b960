"""The HTTP layer: cache, retries with backoff, rate limit, and secrets kept out of everything it writes."""

import httpx
import pytest
import respx

from nbaprops.sources.http import FetchError, NotFound, RateLimiter, redact
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
