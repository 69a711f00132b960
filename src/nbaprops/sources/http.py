"""The one way the live clients talk to the network: timeouts, retries with exponential backoff and jitter on
429/5xx/timeouts, a per-host rate limit, and an on-disk gzip cache of every payload so reprocessing never refetches.

Secrets (the Odds API key travels as a query parameter) are stripped from everything this module writes or raises:
log lines, request records, cache paths (hashes of the redacted URL and of the content) and error messages.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential_jitter
from tenacity.wait import wait_base

from nbaprops.sources.settings import LiveSettings

log = logging.getLogger("nbaprops.http")

# stats.nba.com answers only requests that look like they come from the nba.com site (and hangs on the others).
STATS_NBA_HEADERS = {
    "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36",
    "Accept": "application/json, text/plain, */*",
    "Accept-Language": "en-US,en;q=0.9",
    "Origin": "https://www.nba.com",
    "Referer": "https://www.nba.com/",
    "x-nba-stats-origin": "stats",
    "x-nba-stats-token": "true",
}
QUOTA_HEADERS = ("x-requests-remaining", "x-requests-used", "x-requests-last")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_KEY_PARAM = re.compile(r"(?i)(api_?key=)[^&\s\"']+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret value and every `apiKey=` value replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _KEY_PARAM.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """Scrubs secrets from records of loggers we do not own (httpx logs every URL at INFO, query string included)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        return True


_REDACTING_FILTER = RedactingFilter()
for _name in ("httpx", "httpcore", log.name):
    logging.getLogger(_name).addFilter(_REDACTING_FILTER)


class FetchError(RuntimeError):
    """A request that did not produce a payload; the message names the source, the redacted URL and the cause."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class NotFound(FetchError):
    """HTTP 404: the resource does not exist (yet); never retried."""


class _Retryable(Exception):
    def __init__(self, status: int | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True)
class Fetched:
    """One payload: its bytes, where the cache keeps them, and the request it answered (secrets removed)."""

    source: str
    url: str
    content: bytes
    sha256: str
    cache_path: Path
    from_cache: bool
    fetched_at: dt.datetime  # UTC, naive; for a cache hit, when the payload was stored


@dataclass(frozen=True)
class RequestRecord:
    """One HTTP attempt or cache hit, for the request log."""

    requested_at: dt.datetime
    source: str
    url: str
    attempt: int
    status: int | None
    elapsed_ms: float | None
    bytes: int | None
    from_cache: bool
    quota_remaining: str | None = None
    quota_used: str | None = None
    error: str | None = None


class RateLimiter:
    """At most one request per `min_interval` seconds to each host."""

    def __init__(
        self,
        default: float,
        per_host: Mapping[str, float],
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.default, self.per_host, self.clock, self.sleep = default, dict(per_host), clock, sleep
        self._last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        interval = self.per_host.get(host, self.default)
        last = self._last.get(host)
        if last is not None:
            remaining = interval - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = self.clock()


class PayloadCache:
    """`<root>/<source>/<hash of the redacted URL>/<sha256 of the content>.gz`, with `latest` naming the newest.

    Directory names hash the request without its secrets; file names hash the content, so a payload that changes
    over time (today's odds) keeps every version and an identical refetch stores nothing new.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _dir(self, source: str, url: str) -> Path:
        return self.root / source / hashlib.sha256(url.encode()).hexdigest()[:32]

    def get(self, source: str, url: str) -> tuple[bytes, str, Path, dt.datetime] | None:
        folder = self._dir(source, url)
        pointer = folder / "latest"
        if not pointer.exists():
            return None
        path = folder / pointer.read_text().strip()
        content = gzip.decompress(path.read_bytes())
        stored = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
        return content, hashlib.sha256(content).hexdigest(), path, stored

    def put(self, source: str, url: str, content: bytes) -> tuple[str, Path]:
        sha = hashlib.sha256(content).hexdigest()
        folder = self._dir(source, url)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sha}.gz"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(gzip.compress(content, mtime=0))
            tmp.replace(path)
        (folder / "latest").write_text(path.name)
        return sha, path


def full_url(url: str, params: Mapping[str, object] | None) -> str:
    """The URL with its query string, parameters in a stable order (the cache key and the ledger name)."""
    if not params:
        return url
    return f"{url}?{urlencode(sorted((k, str(v)) for k, v in params.items()))}"


class HttpClient:
    """GET with cache, rate limit and retries. `wait` is tenacity's wait strategy (tests pass `wait_none()`)."""

    def __init__(
        self,
        settings: LiveSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        wait: wait_base | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[RequestRecord], None] | None = None,
    ) -> None:
        self.settings = settings
        self.secrets = settings.secrets()
        self.cache = PayloadCache(settings.cache_dir)
        self.limiter = RateLimiter(settings.min_interval, settings.min_intervals, clock, sleep)
        self.wait = wait if wait is not None else wait_exponential_jitter(initial=1, max=30, jitter=1)
        self.sleep = sleep
        self.on_request = on_request
        self._http = httpx.Client(timeout=settings.timeout, transport=transport, follow_redirects=True)
        _REDACTING_FILTER.secrets.update(self.secrets)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _record(self, record: RequestRecord) -> None:
        if self.on_request:
            self.on_request(record)

    def get(
        self,
        source: str,
        url: str,
        params: Mapping[str, object] | None = None,
        *,
        secret_params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        refresh: bool = False,
    ) -> Fetched:
        """The payload at `url`: from the cache unless `refresh`, else fetched (and cached).

        `secret_params` go on the wire only: they are not part of the cache key, the logged URL or any message.
        """
        public = redact(full_url(url, params), self.secrets)
        if not refresh and (hit := self.cache.get(source, public)) is not None:
            content, sha, path, stored = hit
            log.info("cache hit %s %s", source, public)
            self._record(RequestRecord(dt.datetime.now(), source, public, 0, None, None, len(content), True))
            return Fetched(source, public, content, sha, path, True, stored)
        content = self._fetch(source, url, public, {**(params or {}), **(secret_params or {})}, headers)
        sha, path = self.cache.put(source, public, content)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return Fetched(source, public, content, sha, path, False, now)

    def _fetch(
        self, source: str, url: str, public: str, params: Mapping[str, object], headers: Mapping[str, str] | None
    ) -> bytes:
        host = urlsplit(url).hostname or ""
        retrying = Retrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=self.wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.sleep,
            reraise=True,
        )
        numbers = iter(range(1, self.settings.attempts + 1))
        try:
            return retrying(lambda: self._attempt(source, url, public, params, headers, host, next(numbers)))
        except _Retryable as exc:
            raise FetchError(
                f"{source}: GET {public} failed after {self.settings.attempts} attempts: {exc}",
                url=public,
                status=exc.status,
            ) from None

    def _attempt(
        self,
        source: str,
        url: str,
        public: str,
        params: Mapping[str, object],
        headers: Mapping[str, str] | None,
        host: str,
        number: int,
    ) -> bytes:
        self.limiter.wait(host)
        started = dt.datetime.now()
        t0 = time.perf_counter()
        try:
            response = self._http.get(url, params=dict(params), headers=dict(headers or {}))
        except httpx.TimeoutException as exc:
            self._failed(source, public, number, started, t0, None, f"timeout ({type(exc).__name__})")
            raise _Retryable(None, f"timeout ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            detail = redact(f"{type(exc).__name__}: {exc}", self.secrets)
            self._failed(source, public, number, started, t0, None, detail)
            raise _Retryable(None, detail) from None
        elapsed = (time.perf_counter() - t0) * 1000
        quota = {h: response.headers.get(h) for h in QUOTA_HEADERS}
        error = None if response.status_code == 200 else f"HTTP {response.status_code}"
        self._record(
            RequestRecord(
                started,
                source,
                public,
                number,
                response.status_code,
                elapsed,
                len(response.content),
                False,
                quota["x-requests-remaining"],
                quota["x-requests-used"],
                error,
            )
        )
        quota_text = "".join(f" {h}={v}" for h, v in quota.items() if v is not None)
        log.info(
            "GET %s -> %s (%d bytes, %.0f ms, attempt %d)%s",
            *(public, response.status_code, len(response.content), elapsed, number, quota_text),
        )
        if response.status_code in RETRY_STATUSES:
            raise _Retryable(response.status_code, f"HTTP {response.status_code}")
        if response.status_code == 404:
            raise NotFound(f"{source}: GET {public} -> HTTP 404 (not found)", url=public, status=404)
        if response.status_code != 200:
            message = f"{source}: GET {public} -> HTTP {response.status_code}"
            raise FetchError(message, url=public, status=response.status_code)
        return response.content

    def _failed(
        self, source: str, public: str, number: int, started: dt.datetime, t0: float, status: int | None, error: str
    ) -> None:
        elapsed = (time.perf_counter() - t0) * 1000
        log.warning("GET %s failed (attempt %d): %s", public, number, error)
        self._record(RequestRecord(started, source, public, number, status, elapsed, None, False, error=error))
