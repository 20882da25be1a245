"""One run's connection to the UN's services (or any server that behaves like them): the
polite client and raw store from extractors/, with what the warehouse knew before the run
(validators, loaded editions), so each fetch is conditional and the breaker counts misses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common.errors import BudgetExhausted
from common.settings import read_text
from extractors.fetch.circuit_breaker import CircuitBreaker, host_of, skipped_result
from extractors.fetch.circuit_breaker import breaker_misses as resolve_breaker_misses
from extractors.fetch.fetch_document import FetchResult, FetchState, fetch_document
from extractors.fetch.http_client import ClientConfig, PoliteClient
from extractors.fetch.http_settings import client_config, is_un_source
from extractors.fetch.official_documents import endpoints_for
from extractors.fetch.raw_store import RawStore
from extractors.fetch.request_deadline import allow_requests
from extractors.symbols import split_joint_symbol
from warehouse.runs.fetch_state import (
    FetchKnowledge,
    RecheckPolicy,
    first_symbol,
    read_fetch_knowledge,
    recheck_policy,
)
from warehouse.runs.run_account import RunSummary

BUNDLED_SOURCE = "bundled"


def resolve_data_dir(db_path: Path, data_dir: str | Path | None = None) -> Path:
    """The data folder holding the raw store: the one given, else the warehouse's folder."""
    return Path(data_dir) if data_dir else Path(db_path).resolve().parent


class RemoteSession:
    """One run's connection to the services: client, raw store and what the warehouse knew.

    A plain class on purpose: Prefect passes it to tasks untouched (it does not walk it).
    """

    def __init__(
        self,
        source: str,
        data_dir: Path,
        config: ClientConfig,
        knowledge: FetchKnowledge,
        *,
        library_key: str | None = None,
        discovery_since: str | None = None,
        breaker: CircuitBreaker | None = None,
        recheck: RecheckPolicy | None = None,
    ) -> None:
        self.source = "un" if is_un_source(source) else source.rstrip("/")
        self.data_dir = data_dir
        self.client = PoliteClient(config)
        self.store = RawStore(data_dir)
        self.knowledge = knowledge
        self.library_key = library_key
        self.discovery_since = discovery_since
        self.breaker = breaker or CircuitBreaker()
        self.recheck = recheck or RecheckPolicy()
        self.documents_host = host_of(endpoints_for(self.source).documents)

    def previous(self, symbol: str, language: str) -> FetchState | None:
        """The state the last accepted fetch of (first symbol, language) left, if any."""
        first = split_joint_symbol(symbol)[0]
        return self.knowledge.states.get((first, language))

    def held(self, symbol: str, language: str) -> bool:
        """True when an earlier run accepted a body for (first symbol, language)."""
        return self.previous(symbol, language) is not None

    def fetch(self, symbol: str, language: str, *, force: bool = False) -> FetchResult:
        """Fetch one document conditionally (unless `force`); never raises for the document.

        Once the host's circuit breaker is open, nothing is asked: the result's outcome is
        `skipped`. A fetch the client refused because a host's hourly budget is spent opens
        the breaker with that reason and is itself `skipped`, never a failed fetch.
        """
        host = self.documents_host
        why_open = self.breaker.reason(host)
        if why_open is not None:
            return skipped_result(first_symbol(symbol), language, why_open)
        result = fetch_document(
            self.client,
            self.store,
            symbol,
            language,
            source=self.source,
            previous=self.previous(symbol, language),
            force=force,
        )
        refusal = self._budget_refusal(result)
        if refusal is not None:
            self.breaker.trip(host, str(refusal))
            return skipped_result(first_symbol(symbol), language, str(refusal))
        self.breaker.record(host, result)
        return result

    def _budget_refusal(self, result: FetchResult) -> BudgetExhausted | None:
        """The budget refusal that made `result` fail, if that is why it failed."""
        if result.outcome != "failed":
            return None
        refusals = self.client.budget_refusals().values()
        return next((refusal for refusal in refusals if str(refusal) == result.reason), None)

    def raw_path(self, sha256: str) -> str:
        """Where a body lives, relative to the data folder (documents.source_path)."""
        return str(self.store.path_for(sha256).relative_to(self.data_dir))

    def close(self) -> None:
        """Release the client's connections."""
        self.client.close()


def open_session(
    source: str,
    db_path: Path,
    data_dir: str | Path | None,
    http: Mapping[str, Any] | None,
    breaker_misses: int | None = None,
) -> RemoteSession:
    """Start a run's session: settings from the environment, knowledge from the warehouse;
    the circuit breaker opens after `breaker_misses` (else $COOPWATCH_BREAKER_MISSES, 20).
    A malformed setting is an error here, before anything is fetched."""
    return RemoteSession(
        source,
        resolve_data_dir(db_path, data_dir),
        client_config(source, http),
        read_fetch_knowledge(db_path),
        library_key=read_text("COOPWATCH_LIBRARY_KEY"),
        discovery_since=read_text("COOPWATCH_DISCOVERY_SINCE"),
        breaker=CircuitBreaker(resolve_breaker_misses(breaker_misses)),
        recheck=recheck_policy(),
    )


def body_for(
    session: RemoteSession, result: FetchResult, fetches: list[FetchResult]
) -> tuple[FetchResult, bytes] | None:
    """The stored body behind a successful fetch; refetched in full when the store lost it.

    The refetch is appended to `fetches` so it is recorded like every other; None when even
    that brings no body.
    """
    if result.sha256 and session.store.has(result.sha256):
        return result, session.store.read(result.sha256)
    again = session.fetch("-".join(result.symbols) or result.symbol, result.language, force=True)
    fetches.append(again)
    if again.outcome == "downloaded" and again.sha256 and session.store.has(again.sha256):
        return again, session.store.read(again.sha256)
    return None


def note_open_breakers(session: RemoteSession | None, named: tuple[str, ...] = ()) -> RunSummary:
    """The account of the hosts the circuit breaker stopped asking (too many misses, or a
    spent fetch budget) and what that cost, with a note for each not yet `named`."""
    if session is None:
        return RunSummary()
    opened = tuple(session.breaker.open_hosts)
    return RunSummary(
        notes=tuple(
            f"{session.breaker.reason(host)}: the rest of its documents were not asked "
            "for; the run finished with what it had"
            for host in opened
            if host not in named
        ),
        open_breakers=opened,
    )


@contextmanager
def run_session(
    source: str,
    db_path: Path,
    data_dir: str | Path | None,
    http: Mapping[str, Any] | None,
    breaker_misses: int | None,
) -> Iterator[RemoteSession | None]:
    """A run's session on a remote source, None for the bundled editions, closed on the way
    out however the run went (its breaker still says which hosts it stopped asking)."""
    if source == BUNDLED_SOURCE:
        yield None
        return
    allow_requests()  # a stop belongs to the run it ended, not to the next one in this process
    session = open_session(source, db_path, data_dir, http, breaker_misses)
    try:
        yield session
    finally:
        session.close()
