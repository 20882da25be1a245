"""A per-host circuit breaker: after K consecutive misses (absent or failed answers) the run
stops asking that host for the rest of the run, so it never hammers a service that has
started to refuse; the run then finishes with what it has and says so.

The ODS answers "not found" for documents that exist once it has had enough of a client,
so a long run of misses says more about the service than about the documents. A host whose
hourly fetch budget is spent (`BudgetExhausted`) is opened the same way, with that reason.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from common.settings import read_whole_number, whole_number_value
from extractors.fetch.fetch_document import FetchResult

BREAKER_VARIABLE = "COOPWATCH_BREAKER_MISSES"
DEFAULT_MISSES = 20
MISSES_EXPECTED = "a whole number of consecutive misses"
MISS_OUTCOMES = frozenset({"absent", "failed"})
SKIPPED = "skipped"


def breaker_misses(value: int | str | None = None) -> int:
    """K: the value given, else $COOPWATCH_BREAKER_MISSES, else 20; at least 1 (a given
    value stands in for the variable, so it is checked by the same rule)."""
    if value is not None:
        return whole_number_value(BREAKER_VARIABLE, str(value), least=1, expected=MISSES_EXPECTED)
    return read_whole_number(BREAKER_VARIABLE, DEFAULT_MISSES, least=1, expected=MISSES_EXPECTED)


def host_of(url: str) -> str:
    """The host a URL points at (the breaker's key); the URL itself when it has none."""
    return urlsplit(url).hostname or url


class CircuitBreaker:
    """Counts consecutive misses per host; opens a host for good (this run) at `misses`, or
    at once when `trip` gives another reason (a spent fetch budget).

    Thread-safe: fetches run concurrently, so a few requests already in flight when the
    breaker opens still finish and are recorded.
    """

    def __init__(self, misses: int = DEFAULT_MISSES) -> None:
        self.misses = misses
        self._streaks: dict[str, int] = {}
        self._open: dict[str, str] = {}
        self._lock = threading.Lock()

    def is_open(self, host: str) -> bool:
        """True when `host` is no longer asked during this run."""
        with self._lock:
            return host in self._open

    def record(self, host: str, result: FetchResult) -> None:
        """Count a miss (absent, failed) or reset the streak on any other answer."""
        with self._lock:
            if result.outcome not in MISS_OUTCOMES:
                self._streaks[host] = 0
                return
            self._streaks[host] = self._streaks.get(host, 0) + 1
            if self._streaks[host] >= self.misses:
                self._open.setdefault(
                    host,
                    f"circuit breaker opened for {host} after {self.misses} consecutive misses",
                )

    def trip(self, host: str, reason: str) -> None:
        """Open `host` now for `reason` (kept if the host is already open)."""
        with self._lock:
            self._open.setdefault(host, reason)

    def reason(self, host: str) -> str | None:
        """Why `host` is open, or None while it is still asked."""
        with self._lock:
            return self._open.get(host)

    @property
    def open_hosts(self) -> tuple[str, ...]:
        """Hosts opened so far, in the order they opened."""
        with self._lock:
            return tuple(self._open)


def skipped_result(symbol: str, language: str, why_open: str) -> FetchResult:
    """The stand-in for a fetch the open breaker did not make (never recorded as a fetch);
    `why_open` is the breaker's reason for the host."""
    reason = f"not asked: {why_open}"
    return FetchResult(
        symbol=symbol,
        language=language,
        outcome=SKIPPED,  # type: ignore[arg-type]  # a run-level outcome, never a fetch row
        reason=reason,
        url="",
        error=f"{symbol} [{language}]: {reason}",
    )
