"""An injected clock for the HTTP client: time moves only when the client sleeps, every sleep
and every deadline armed is kept, so tests assert the waits exactly and nothing waits."""

from __future__ import annotations

from collections.abc import Callable

from extractors.fetch.request_deadline import Alarm, start_timer


class FakeTime:
    """A clock that only moves when the client sleeps; every sleep and alarm is kept.

    Alarms are kept as (clock reading when armed, seconds) and still armed as real timers:
    only a timer can end a read blocked on a trickling server, and no test reads how long
    that took.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self.alarms: list[tuple[float, float]] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def start_alarm(self, seconds: float, action: Callable[[], None]) -> Alarm:
        self.alarms.append((self.now, seconds))
        return start_timer(seconds, action)
