"""A polite HTTP client for the UN's services: identified, rate-limited, bounded and safe.

Every byte CoopWatch downloads goes through `PoliteClient.get`, which retries transient
failures with backoff, follows redirects only to allowed origins (scheme, host and port;
never from https to http), and never returns a body that is incomplete, larger than the
configured limit or slower than the per-response deadline. Each host gets a fetch budget:
requests spaced with jitter, a longer pause every N requests, and at most so many requests
an hour, past which the client refuses (`BudgetExhausted`) rather than keep asking.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from urllib3 import BaseHTTPResponse
from urllib3.util import Retry

from common.errors import BudgetExhausted, FetchFailed, FetchRefused
from extractors.fetch.request_deadline import (
    DeadlineAdapter,
    ResponseWatch,
    StartAlarm,
    response_deadline,
    start_timer,
    stoppable_sleep,
)

UN_HOSTS: frozenset[str] = frozenset(
    {"undocs.org", "www.undocs.org", "un.org", "documents.un.org", "digitallibrary.un.org"}
)
UN_HOST_SUFFIXES: tuple[str, ...] = (".un.org",)
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES: frozenset[int] = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS: tuple[str, ...] = (
    "content-type",
    "content-length",
    "content-disposition",
    "etag",
    "last-modified",
    "retry-after",
    "location",
    "x-amzn-waf-action",
)
LOCAL_NAMES: frozenset[str] = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
DEFAULT_PORTS: dict[str, int] = {"http": 80, "https": 443}
BUDGET_WINDOW_SECONDS = 3600.0
BODY_CHUNK_BYTES = 64 * 1024

Origin = tuple[str, str, int]

Resolver = Callable[[str], Iterable[str]]
Clock = Callable[[], float]
Sleep = Callable[[float], None]
Fraction = Callable[[], float]


@dataclass(frozen=True)
class ClientConfig:
    """How the client identifies itself and how patient, fast and trusting it may be.

    Per host: request starts are `1 / requests_per_second` seconds apart plus up to
    `jitter_seconds` of random jitter, with a `pause_seconds` pause before every
    `pause_every`-th further request; `requests_per_second` <= 0 turns all this pacing off
    (tests only). At most `requests_per_hour` requests start in any hour (<= 0: no budget).
    `source` is the configured base URL, whose origin (scheme, host, port) joins the
    allowlist; the UN hosts and `extra_hosts` are allowed over https on port 443 only.
    `request_deadline` bounds each request, retries included, from the moment it is first sent
    to the last byte of its answer, whatever the pace the server sends it at. `ca_bundle` is a PEM file of certificate authorities to
    trust instead of the bundled ones (a mirror behind a private CA).
    """

    contact: str
    product: str = "CoopWatch/0.1"
    connect_timeout: float = 15.0
    read_timeout: float = 90.0
    request_deadline: float = 600.0
    retries: int = 4
    backoff_factor: float = 2.0
    backoff_max: float = 120.0
    retry_after_max: int = 300
    max_body_bytes: int = 64 * 1024 * 1024
    max_redirects: int = 5
    requests_per_second: float = 1.0
    requests_per_hour: int = 600
    pause_every: int = 100
    pause_seconds: float = 30.0
    jitter_seconds: float = 0.25
    source: str | None = None
    extra_hosts: frozenset[str] = frozenset()
    ca_bundle: str | None = None

    @property
    def user_agent(self) -> str:
        """The User-Agent header: product, project purpose and the contact address."""
        return f"{self.product} (UN cooperation report tracker; contact: {self.contact})"


@dataclass(frozen=True)
class HttpResponse:
    """A complete answer: final status, kept headers and the whole body (empty for 3xx/304)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    redirects: tuple[str, ...] = ()

    @property
    def etag(self) -> str | None:
        """The entity tag the server sent, for the next conditional request."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified date the server sent, for the next conditional request."""
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-cased ('' when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class _PoliteRetry(Retry):
    """urllib3 Retry whose every wait, even the first, is at least `min_backoff` seconds, and
    whose waits (Retry-After or backoff, chosen as urllib3 does) go through `pause`."""

    min_backoff: float = 0.0
    pause: Sleep = staticmethod(time.sleep)

    def new(self, **kw: object) -> _PoliteRetry:
        retry = super().new(**kw)
        retry.min_backoff = self.min_backoff
        retry.pause = self.pause
        return retry

    def get_backoff_time(self) -> float:
        return max(self.min_backoff, super().get_backoff_time())

    def sleep_for_retry(self, response: BaseHTTPResponse) -> bool:
        retry_after = self.get_retry_after(response)
        if retry_after:
            self.pause(retry_after)
            return True
        return False

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if self.respect_retry_after_header and response and self.sleep_for_retry(response):
            return
        backoff = self.get_backoff_time()
        if backoff > 0:
            self.pause(backoff)


class _HostRateLimiter:
    """The per-host fetch budget: spacing with jitter, a pause every N requests and an hourly
    cap (thread-safe). Each request reserves its start slot under the lock, then sleeps
    outside it; `clock`, `sleep` and `jitter_fraction` (a number in [0, 1) per request) are
    injectable so tests see the schedule."""

    def __init__(
        self, config: ClientConfig, clock: Clock, sleep: Sleep, jitter_fraction: Fraction
    ) -> None:
        paced = config.requests_per_second > 0
        self._interval = 1.0 / config.requests_per_second if paced else 0.0
        self._jitter = max(config.jitter_seconds, 0.0) if paced else 0.0
        self._pause_every = config.pause_every if paced and config.pause_seconds > 0 else 0
        self._pause_seconds = config.pause_seconds
        self._per_hour = config.requests_per_hour
        self._clock, self._sleep, self._fraction = clock, sleep, jitter_fraction
        self._next_slot: dict[str, float] = {}
        self._started: dict[str, int] = {}
        self._window: dict[str, deque[float]] = {}
        self._refusals: dict[str, BudgetExhausted] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        """Sleep until `host` may be asked again; raise BudgetExhausted when its hour is spent."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            started = self._started.get(host, 0)
            if self._pause_every > 0 and started and started % self._pause_every == 0:
                slot += self._pause_seconds
            if self._jitter:
                slot += self._jitter * self._fraction()
            self._check_budget(host, slot)
            self._started[host] = started + 1
            self._next_slot[host] = slot + self._interval
        if slot > now:
            self._sleep(slot - now)

    def _check_budget(self, host: str, slot: float) -> None:
        """Count `slot` against the host's last hour of request starts, or refuse it."""
        if self._per_hour <= 0:
            return
        window = self._window.setdefault(host, deque())
        while window and window[0] <= slot - BUDGET_WINDOW_SECONDS:
            window.popleft()
        if len(window) >= self._per_hour:
            refusal = BudgetExhausted(host, self._per_hour)
            self._refusals[host] = refusal
            raise refusal
        window.append(slot)

    def refusals(self) -> dict[str, BudgetExhausted]:
        """Host -> the latest budget refusal it got."""
        with self._lock:
            return dict(self._refusals)


def _default_resolver(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]


def _is_internal_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_reserved
        or ip.is_unspecified
        or ip.is_multicast
    )


def origin_of(url: str) -> Origin:
    """(scheme, lower-cased host, port) of a URL, the port defaulted from the scheme."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        raise FetchRefused(f"{url}: not a valid port") from None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme, 0)


def _is_un_host(host: str) -> bool:
    return host in UN_HOSTS or host.endswith(UN_HOST_SUFFIXES)


def _is_local_host(host: str) -> bool:
    if host in LOCAL_NAMES:
        return True
    try:
        return _is_internal_address(host)
    except ValueError:
        return False


class PoliteClient:
    """GETs URLs for CoopWatch under the rules of `ClientConfig`; one per run.

    `clock`, `sleep` and `jitter_fraction` drive the per-host budget, `sleep` every wait between
    retries, `clock` and `start_alarm` each request's deadline; tests inject them.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        resolver: Resolver = _default_resolver,
        clock: Clock = time.monotonic,
        sleep: Sleep = stoppable_sleep,
        jitter_fraction: Fraction = random.random,
        start_alarm: StartAlarm = start_timer,
    ) -> None:
        self.config = config
        self._resolver = resolver
        self._clock, self._sleep, self._start_alarm = clock, sleep, start_alarm
        self._source_origin = origin_of(config.source) if config.source else None
        source_host = self._source_origin[1] if self._source_origin else ""
        self._source_is_local = bool(source_host and _is_local_host(source_host))
        self._limiter = _HostRateLimiter(config, clock, sleep, jitter_fraction)
        self._session = self._build_session()

    def _build_session(self) -> requests.Session:
        retry = _PoliteRetry(
            total=self.config.retries,
            connect=self.config.retries,
            read=self.config.retries,
            status=self.config.retries,
            other=0,
            redirect=False,
            allowed_methods=frozenset({"GET", "HEAD"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=self.config.backoff_factor,
            backoff_max=self.config.backoff_max,
            retry_after_max=self.config.retry_after_max,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.min_backoff = (
            1.0 / self.config.requests_per_second if self.config.requests_per_second > 0 else 0.0
        )
        retry.pause = self._sleep
        session = requests.Session()
        adapter = DeadlineAdapter(max_retries=retry)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update(
            {"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"}
        )
        session.trust_env = False
        if self.config.ca_bundle:
            session.verify = self.config.ca_bundle
        return session

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def budget_refusals(self) -> dict[str, BudgetExhausted]:
        """Hosts whose hourly fetch budget this client has spent -> the refusal raised."""
        return self._limiter.refusals()

    def is_allowed_origin(self, origin: Origin) -> bool:
        """True for the configured source's exact origin, and for the UN hosts (and extras)
        over https on port 443."""
        if origin == self._source_origin:
            return True
        scheme, host, port = origin
        trusted = _is_un_host(host) or host in self.config.extra_hosts
        return trusted and scheme == "https" and port == DEFAULT_PORTS["https"]

    def check_url(self, url: str) -> None:
        """Raise FetchRefused unless policy allows contacting this URL."""
        origin = origin_of(url)
        scheme, host, port = origin
        if scheme not in DEFAULT_PORTS or not host:
            raise FetchRefused(f"{url}: not an http(s) URL")
        if not self.is_allowed_origin(origin):
            raise FetchRefused(f"{url}: {scheme}://{host}:{port} is not on the allowlist")
        if self._source_is_local:
            return
        if _is_local_host(host):
            raise FetchRefused(f"{url}: host {host} is internal and the source is not local")
        try:
            addresses = list(self._resolver(host))
        except OSError as error:
            raise FetchFailed(f"{url}: cannot resolve {host} ({error})") from error
        internal = [address for address in addresses if _is_internal_address(address)]
        if internal:
            raise FetchRefused(f"{url}: host {host} resolves to internal address {internal[0]}")

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> HttpResponse:
        """GET a URL, following allowed redirects, and return the complete answer.

        Sends If-None-Match / If-Modified-Since when `etag` / `last_modified` are given.
        Raises FetchRefused (policy; BudgetExhausted once a host's hourly budget is spent)
        or FetchFailed (transport, after retries).
        """
        first_url = f"{url}?{urlencode(params)}" if params else url
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        current = first_url
        redirects: list[str] = []
        while True:
            self.check_url(current)
            response = self._send(current, request_headers)
            if response.status not in REDIRECT_STATUSES:
                return HttpResponse(
                    url=first_url,
                    final_url=current,
                    status=response.status,
                    headers=response.headers,
                    body=response.body,
                    redirects=tuple(redirects),
                )
            location = response.headers.get("location")
            if not location:
                raise FetchFailed(f"{current}: HTTP {response.status} redirect without Location")
            if len(redirects) >= self.config.max_redirects:
                raise FetchRefused(f"{first_url}: more than {self.config.max_redirects} redirects")
            target = urljoin(current, location)
            if origin_of(current)[0] == "https" and origin_of(target)[0] != "https":
                raise FetchRefused(f"{first_url}: redirect from https down to {target} refused")
            current = target
            redirects.append(current)

    def _send(self, url: str, headers: Mapping[str, str]) -> _RawAnswer:
        self._limiter.wait((urlsplit(url).hostname or "").lower())
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        deadline = self.config.request_deadline
        too_slow = FetchFailed(f"{url}: response not complete within {deadline} s")
        with response_deadline(
            deadline, clock=self._clock, start_alarm=self._start_alarm
        ) as latest_watch:
            try:
                response = self._session.get(
                    url, headers=dict(headers), timeout=timeout, stream=True, allow_redirects=False
                )
            except requests.exceptions.Timeout as error:
                raise FetchFailed(
                    f"{url}: timed out after retries ({type(error).__name__})"
                ) from error
            except requests.exceptions.RequestException as error:
                if _has_expired(latest_watch()):
                    raise too_slow from None
                raise FetchFailed(f"{url}: connection failed after retries ({error})") from error
            with response:
                kept = {
                    name: response.headers[name]
                    for name in KEPT_HEADERS
                    if name in response.headers
                }
                if response.status_code in REDIRECT_STATUSES or response.status_code == 304:
                    return _RawAnswer(response.status_code, kept, b"")
                body = self._read_body(url, response, latest_watch(), too_slow)
        return _RawAnswer(response.status_code, kept, body)

    def _read_body(
        self,
        url: str,
        response: requests.Response,
        watch: ResponseWatch | None,
        too_slow: FetchFailed,
    ) -> bytes:
        """The whole body, or FetchRefused past the size limit, or FetchFailed when it is
        incomplete or not complete within `request_deadline` seconds of the request (the
        watch's timer ends a read blocked on a trickle, whatever the chunk size; between
        chunks the deadline is checked as well)."""
        limit = self.config.max_body_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchRefused(f"{url}: declared body of {declared} bytes exceeds {limit}")
        ends_at = watch.ends_at if watch else self._clock() + self.config.request_deadline
        try:
            body = self._read_chunks(url, response, ends_at, too_slow)
        except FetchFailed:
            if _has_expired(watch):
                raise too_slow from None
            raise
        if _has_expired(watch):
            raise too_slow
        encoded = response.headers.get("content-encoding", "identity").lower()
        if declared and declared.isdigit() and encoded == "identity" and len(body) != int(declared):
            raise FetchFailed(f"{url}: truncated body ({len(body)} of {declared} bytes)")
        return body

    def _read_chunks(
        self, url: str, response: requests.Response, deadline: float, too_slow: FetchFailed
    ) -> bytes:
        limit = self.config.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=BODY_CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise FetchRefused(f"{url}: body exceeds {limit} bytes, download aborted")
                if self._clock() > deadline:
                    raise too_slow
                chunks.append(chunk)
        except requests.exceptions.ConnectionError as error:
            raise FetchFailed(f"{url}: connection lost while reading the body ({error})") from error
        except requests.exceptions.ChunkedEncodingError as error:
            raise FetchFailed(f"{url}: truncated body ({error})") from error
        except requests.exceptions.ContentDecodingError as error:
            raise FetchFailed(f"{url}: undecodable body ({error})") from error
        except OSError as error:
            raise FetchFailed(f"{url}: connection lost while reading the body ({error})") from error
        return b"".join(chunks)


def _has_expired(watch: ResponseWatch | None) -> bool:
    return watch is not None and watch.expired.is_set()


@dataclass(frozen=True)
class _RawAnswer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
