"""The per-host fetch budget: spacing with jitter, a pause every N requests and an hourly cap
whose refusal opens the circuit breaker. Real HTTP over loopback; the clock and the sleeps
are injected, so the schedule of waits is asserted exactly and nothing sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from common.errors import BudgetExhausted, CoopWatchError, FetchRefused
from extractors.fetch.circuit_breaker import SKIPPED, CircuitBreaker
from extractors.fetch.http_client import ClientConfig, PoliteClient
from extractors.fetch.http_settings import client_config
from pipeline.fetch_session import RemoteSession, note_open_breakers
from tests.fake_time import FakeTime
from tests.unserver import UNServer
from warehouse.runs.fetch_state import FetchKnowledge

SYMBOL = "A/RES/79/10"
BODY = b"%PDF-1.7\n" + b"resolution text " * 200


def fractions(*values: float):
    """A jitter source giving `values` in turn."""
    remaining = list(values)
    return lambda: remaining.pop(0)


def config(server: UNServer, **overrides: object) -> ClientConfig:
    settings: dict[str, object] = {
        "contact": "coopwatch-tests@example.org",
        "source": server.base_url,
        "retries": 0,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "requests_per_second": 0,
    }
    settings.update(overrides)
    return ClientConfig(**settings)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[UNServer]:
    with UNServer() as running:
        running.add_document(SYMBOL, "en", BODY)
        yield running


def get(client: PoliteClient, server: UNServer) -> int:
    url = f"{server.base_url}/api/symbol/access"
    return client.get(url, params={"s": SYMBOL, "l": "en"}).status


def test_waits_are_spaced_jittered_and_paused_every_n_requests(server: UNServer) -> None:
    time = FakeTime()
    settings = config(
        server,
        requests_per_second=2,
        jitter_seconds=0.2,
        pause_every=3,
        pause_seconds=10,
        requests_per_hour=0,
    )
    jitter = fractions(0.5, 0.0, 1.0, 0.25, 0.0)
    with PoliteClient(settings, clock=time.clock, sleep=time.sleep, jitter_fraction=jitter) as c:
        statuses = [get(c, server) for _ in range(5)]
    assert statuses == [200] * 5
    # 0.5 s apart, plus 0.2 s x the jitter fraction, plus 10 s before the 4th request.
    assert time.sleeps == pytest.approx([0.1, 0.5, 0.7, 10.55, 0.5])
    assert len(server.log) == 5


def test_no_pacing_when_the_rate_is_off(server: UNServer) -> None:
    time = FakeTime()
    settings = config(server, jitter_seconds=5, pause_every=1, pause_seconds=60)
    with PoliteClient(settings, clock=time.clock, sleep=time.sleep) as client:
        assert [get(client, server) for _ in range(3)] == [200] * 3
    assert time.sleeps == []


def test_hourly_budget_refuses_past_the_cap_then_refills(server: UNServer) -> None:
    time = FakeTime()
    settings = config(server, requests_per_hour=3)
    with PoliteClient(settings, clock=time.clock, sleep=time.sleep) as client:
        assert [get(client, server) for _ in range(3)] == [200] * 3
        time.now += 1800
        with pytest.raises(BudgetExhausted) as refused:
            get(client, server)
        assert len(server.log) == 3
        assert str(refused.value) == "127.0.0.1: fetch budget of 3 requests per hour exhausted"
        assert (refused.value.host, refused.value.per_hour) == ("127.0.0.1", 3)
        assert isinstance(refused.value, FetchRefused)
        assert client.budget_refusals() == {"127.0.0.1": refused.value}
        time.now += 1800  # an hour after the first three: their slots have left the window
        assert get(client, server) == 200
    assert len(server.log) == 4 and time.sleeps == []


def test_budget_counts_planned_start_times(server: UNServer) -> None:
    time = FakeTime()
    settings = config(server, requests_per_second=1 / 1800, jitter_seconds=0, requests_per_hour=2)
    with PoliteClient(settings, clock=time.clock, sleep=time.sleep) as client:
        # Planned starts at +0 s, +1800 s, +3600 s: the third starts an hour after the first,
        # so it fits, though it is planned while the clock is still at +1800 s.
        assert [get(client, server) for _ in range(3)] == [200] * 3
    assert time.sleeps == [1800, 1800]


def test_client_config_reads_the_budget_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPWATCH_HTTP_PER_HOUR", "120")
    monkeypatch.setenv("COOPWATCH_HTTP_PAUSE_EVERY", "25")
    monkeypatch.setenv("COOPWATCH_HTTP_PAUSE_SECONDS", "45.5")
    monkeypatch.setenv("COOPWATCH_HTTP_JITTER", "0.75")
    settings = client_config("http://127.0.0.1:8000", {"pause_every": 30})
    assert (
        settings.requests_per_hour,
        settings.pause_every,
        settings.pause_seconds,
        settings.jitter_seconds,
    ) == (120, 30, 45.5, 0.75)


def test_client_config_names_a_malformed_budget_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPWATCH_HTTP_PER_HOUR", "lots")
    with pytest.raises(CoopWatchError, match="COOPWATCH_HTTP_PER_HOUR: 'lots' is not a valid"):
        client_config("http://127.0.0.1:8000")


def test_spent_budget_opens_the_breaker_and_skips_the_rest(
    server: UNServer, tmp_path: Path
) -> None:
    server.add_document("A/RES/79/11", "en", BODY)
    settings = client_config(server.base_url, {"requests_per_second": 0, "requests_per_hour": 2})
    session = RemoteSession(
        server.base_url, tmp_path, settings, FetchKnowledge(), breaker=CircuitBreaker(5)
    )
    try:
        first = session.fetch(SYMBOL, "en")
        # Absent: the plain symbol uses the last request, the '(OR)' variant is refused.
        refused = session.fetch("A/RES/79/404", "en")
        later = session.fetch("A/RES/79/11", "en")
        summary = note_open_breakers(session)
        again = note_open_breakers(session, summary.open_breakers)
    finally:
        session.close()
    reason = "127.0.0.1: fetch budget of 2 requests per hour exhausted"
    assert first.outcome == "downloaded"
    assert (refused.outcome, refused.reason) == (SKIPPED, f"not asked: {reason}")
    assert (later.outcome, later.reason) == (SKIPPED, f"not asked: {reason}")
    assert [entry.query["s"] for entry in server.log] == [[SYMBOL], ["A/RES/79/404"]]
    assert session.breaker.open_hosts == ("127.0.0.1",)
    assert summary.open_breakers == ("127.0.0.1",)
    assert summary.notes == (
        f"{reason}: the rest of its documents were not asked for; the run finished with what it had",
    )
    # A host already named is not named twice when the run folds the breakers again.
    assert again.open_breakers == ("127.0.0.1",) and again.notes == ()


def test_breaker_keeps_the_first_reason_it_opened_for() -> None:
    breaker = CircuitBreaker(3)
    breaker.trip("documents.un.org", "documents.un.org: fetch budget of 600 requests exhausted")
    breaker.trip("documents.un.org", "another reason")
    assert breaker.is_open("documents.un.org") and not breaker.is_open("undocs.org")
    assert breaker.reason("documents.un.org") == (
        "documents.un.org: fetch budget of 600 requests exhausted"
    )
    assert breaker.reason("undocs.org") is None
