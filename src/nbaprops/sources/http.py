"""The one way the live clients talk to the network: timeouts, retries with exponential backoff and jitter on
429/5xx/timeouts (or the server's `Retry-After`), a per-host rate limit, deadlines per request and per run, and an
on-disk gzip cache of every valid payload so reprocessing never refetches.

Secrets (the Odds API key travels as a query parameter) are stripped from everything this module writes, returns or
raises: log lines, request records, cache paths (hashes of the redacted URL and of the content), payload bodies (a
server may echo the request URL) and error messages. Only payloads the caller's parser accepts are cached; a cached
payload that no longer parses is evicted and fetched again.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import hashlib
import logging
import random
import re
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx

from nbaprops.sources.payload import PayloadError
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
_KEY_PARAM_BYTES = re.compile(rb"(?i)(api_?key=)[^&\s\"'<>]+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret value and every `apiKey=` value replaced by `***`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _KEY_PARAM.sub(r"\1***", text)


def redact_body(content: bytes, secrets: Iterable[str] = ()) -> bytes:
    """`content` with every secret (plain or URL-encoded) and `apiKey=` value replaced, inside a gzip-wrapped body
    too: a server that echoes the request must not put the key into the cache or the quarantine."""
    if content[:2] == b"\x1f\x8b":
        try:
            inner = gzip.decompress(content)
        except (OSError, EOFError, zlib.error):
            inner = None
        if inner is not None and (cleaned := redact_body(inner, secrets)) != inner:
            return gzip.compress(cleaned, mtime=0)
    for secret in secrets:
        for form in {secret, quote(secret, safe="")}:
            if form:
                content = content.replace(form.encode(), b"***")
    return _KEY_PARAM_BYTES.sub(rb"\1***", content)


def one_line(text: str, secrets: Iterable[str] = ()) -> str:
    """A message as one redacted line (an exception's text may span several)."""
    return " ".join(redact(text, secrets).split())


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


class DeadlinePassed(FetchError):
    """The request's or the run's deadline passed before a complete answer."""


class RunDeadlinePassed(DeadlinePassed):
    """The run's deadline passed: the caller should stop asking (cached payloads still serve)."""


class InvalidPayload(FetchError):
    """A 200 whose body the parser refuses (HTML, empty, cut, wrong shape): never cached. Carries the redacted body
    so the caller can quarantine it."""

    def __init__(self, message: str, *, url: str, content: bytes, reason: str) -> None:
        super().__init__(message, url=url, status=200)
        self.content = content
        self.sha256 = hashlib.sha256(content).hexdigest()
        self.reason = reason


class _Retryable(Exception):
    def __init__(self, status: int | None, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP date (RFC 9110); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def exponential_backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based): 1, 2, 4 ... capped at 30, plus up to 1 s jitter."""
    return min(30.0, 2.0 ** (attempt - 1)) + random.uniform(0, 1)


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
    parsed: Any = None  # what the caller's `parse` returned for this content


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
        """The latest payload stored for the request; a damaged entry is evicted and counts as a miss."""
        folder = self._dir(source, url)
        pointer = folder / "latest"
        if not pointer.exists():
            return None
        path = folder / pointer.read_text().strip()
        try:
            content = gzip.decompress(path.read_bytes())
        except (OSError, EOFError, zlib.error) as exc:
            log.warning("cache entry %s is unreadable (%s): evicted", path, exc)
            self.evict(source, url)
            return None
        stored = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
        return content, hashlib.sha256(content).hexdigest(), path, stored

    def evict(self, source: str, url: str) -> None:
        """Forget the latest payload of the request (its file and the pointer), so the next get is a miss."""
        folder = self._dir(source, url)
        pointer = folder / "latest"
        if pointer.exists():
            (folder / pointer.read_text().strip()).unlink(missing_ok=True)
            pointer.unlink()

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
    """GET with cache, rate limit, retries and deadlines. `backoff(attempt)` gives the seconds to wait after a failed
    attempt when the server sends no `Retry-After` (tests pass `lambda _: 0`). The run's deadline starts when the
    client is made: one client per run."""

    def __init__(
        self,
        settings: LiveSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        backoff: Callable[[int], float] = exponential_backoff,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_request: Callable[[RequestRecord], None] | None = None,
    ) -> None:
        self.settings = settings
        self.secrets = settings.secrets()
        self.cache = PayloadCache(settings.cache_dir)
        self.limiter = RateLimiter(settings.min_interval, settings.min_intervals, clock, sleep)
        self.backoff, self.sleep, self.clock = backoff, sleep, clock
        self.on_request = on_request
        self.run_ends = clock() + settings.run_deadline
        self._http = httpx.Client(timeout=settings.timeout, transport=transport, follow_redirects=True)
        _REDACTING_FILTER.secrets.update(self.secrets)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def run_expired(self) -> bool:
        return self.clock() >= self.run_ends

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
        parse: Callable[[bytes], Any] | None = None,
    ) -> Fetched:
        """The payload at `url`: from the cache unless `refresh`, else fetched, then cached only if `parse` accepts it.

        `parse` raises `PayloadError` for an unusable body: a fresh one raises `InvalidPayload` (not cached), a
        cached one is evicted and fetched again. `secret_params` go on the wire only: they are not part of the cache
        key, the logged URL, the stored body or any message.
        """
        public = redact(full_url(url, params), self.secrets)
        if not refresh and (hit := self.cache.get(source, public)) is not None:
            content, sha, path, stored = hit
            try:
                parsed = parse(content) if parse else None
            except PayloadError as exc:
                log.warning("cached payload of %s %s does not parse (%s): evicted, fetching again", source, public,
                            one_line(str(exc), self.secrets))  # fmt: skip
                self.cache.evict(source, public)
            else:
                log.info("cache hit %s %s", source, public)
                self._record(RequestRecord(dt.datetime.now(), source, public, 0, None, None, len(content), True))
                return Fetched(source, public, content, sha, path, True, stored, parsed)
        content = self._fetch(source, url, public, {**(params or {}), **(secret_params or {})}, headers)
        try:
            parsed = parse(content) if parse else None
        except PayloadError as exc:
            reason = one_line(str(exc), self.secrets)
            raise InvalidPayload(
                f"{source}: GET {public} -> unusable payload, not cached: {reason}",
                url=public, content=content, reason=reason,
            ) from None  # fmt: skip
        sha, path = self.cache.put(source, public, content)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return Fetched(source, public, content, sha, path, False, now, parsed)

    def _fetch(
        self, source: str, url: str, public: str, params: Mapping[str, object], headers: Mapping[str, str] | None
    ) -> bytes:
        """Attempts until one succeeds, the attempts run out or the deadline (request's or run's) would pass."""
        host = urlsplit(url).hostname or ""
        request_ends = self.clock() + self.settings.request_deadline
        deadline = min(request_ends, self.run_ends)
        limit = (
            f"the run's {self.settings.run_deadline:g} s deadline (NBAPROPS_RUN_DEADLINE)"
            if self.run_ends <= request_ends
            else f"the {self.settings.request_deadline:g} s request deadline (NBAPROPS_REQUEST_DEADLINE)"
        )
        expired = RunDeadlinePassed if self.run_ends <= request_ends else DeadlinePassed
        if self.clock() >= deadline:
            raise expired(f"{source}: GET {public} not sent: {limit} has passed; run again to fetch the rest "
                          "(cached payloads are reused)", url=public)  # fmt: skip
        for number in range(1, self.settings.attempts + 1):
            try:
                return self._attempt(source, url, public, params, headers, host, number, deadline, limit, expired)
            except _Retryable as exc:
                if number == self.settings.attempts:
                    raise FetchError(
                        f"{source}: GET {public} failed after {number} attempts: {exc}; try again later",
                        url=public, status=exc.status,
                    ) from None  # fmt: skip
                delay = exc.retry_after if exc.retry_after is not None else self.backoff(number)
                if self.clock() + delay >= deadline:
                    asked = f"the server asks to retry after {delay:g} s" if exc.retry_after is not None else (
                        f"the next retry in {delay:.1f} s")  # fmt: skip
                    raise expired(f"{source}: GET {public} failed ({exc}) and {asked}, past {limit}; "
                                  "try again later", url=public, status=exc.status) from None  # fmt: skip
                self.sleep(delay)
        raise AssertionError("unreachable: attempts >= 1")

    def _attempt(
        self,
        source: str,
        url: str,
        public: str,
        params: Mapping[str, object],
        headers: Mapping[str, str] | None,
        host: str,
        number: int,
        deadline: float,
        limit: str,
        expired: type[DeadlinePassed],
    ) -> bytes:
        """One GET, its body read in chunks so a server trickling bytes cannot hold it past `deadline`."""
        self.limiter.wait(host)
        started = dt.datetime.now()
        t0 = time.perf_counter()
        read_timeout = max(0.001, min(self.settings.timeout, deadline - self.clock()))

        def fail(cls: type[FetchError], status: int | None, why: str, todo: str) -> FetchError:
            why = one_line(why, self.secrets)
            self._failed(source, public, number, started, t0, status, why)
            return cls(f"{source}: GET {public} -> {why}; {todo}", url=public, status=status)

        try:
            with self._http.stream(
                "GET", url, params=dict(params), headers=dict(headers or {}), timeout=read_timeout
            ) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if self.clock() > deadline:
                        slow = f"the server is too slow ({len(body):,} bytes read); try again later"
                        raise fail(expired, response.status_code, f"no complete answer within {limit}", slow)
        except httpx.TimeoutException as exc:
            detail = f"timeout ({type(exc).__name__})"
            if self.clock() >= deadline:
                raise fail(expired, None, f"{detail}, {limit} has passed", "try again later") from None
            self._failed(source, public, number, started, t0, None, detail)
            raise _Retryable(None, detail) from None
        except httpx.TooManyRedirects:
            raise fail(FetchError, None, "redirect loop (too many redirects)",
                       "check the source's base URL setting (NBAPROPS_*_URL) or try again later") from None  # fmt: skip
        except httpx.DecodingError as exc:
            raise fail(FetchError, None, f"the body does not decode as its Content-Encoding says ({exc})",
                       "the server or a proxy sent a broken body; try again later") from None  # fmt: skip
        except httpx.TransportError as exc:
            detail = one_line(f"{type(exc).__name__}: {exc}", self.secrets)
            self._failed(source, public, number, started, t0, None, detail)
            raise _Retryable(None, detail) from None
        except httpx.HTTPError as exc:
            raise fail(FetchError, None, f"{type(exc).__name__}: {exc}",
                       "check the source's base URL setting (NBAPROPS_*_URL)") from None  # fmt: skip
        content = redact_body(bytes(body), self.secrets)
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
                len(content),
                False,
                quota["x-requests-remaining"],
                quota["x-requests-used"],
                error,
            )
        )
        quota_text = "".join(f" {h}={v}" for h, v in quota.items() if v is not None)
        log.info(
            "GET %s -> %s (%d bytes, %.0f ms, attempt %d)%s",
            *(public, response.status_code, len(content), elapsed, number, quota_text),
        )
        if response.status_code in RETRY_STATUSES:
            wait = retry_after_seconds(response.headers.get("retry-after"))
            raise _Retryable(response.status_code, f"HTTP {response.status_code}", wait)
        if response.status_code == 404:
            raise NotFound(f"{source}: GET {public} -> HTTP 404 (not found)", url=public, status=404)
        if response.status_code != 200:
            message = f"{source}: GET {public} -> HTTP {response.status_code}; check the source's URL and key"
            raise FetchError(message, url=public, status=response.status_code)
        return content

    def _failed(
        self, source: str, public: str, number: int, started: dt.datetime, t0: float, status: int | None, error: str
    ) -> None:
        elapsed = (time.perf_counter() - t0) * 1000
        log.warning("GET %s failed (attempt %d): %s", public, number, error)
        self._record(RequestRecord(started, source, public, number, status, elapsed, None, False, error=error))
