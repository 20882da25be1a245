"""The nightly run's fetch tasks: each (symbol, language) fetched conditionally on the
flow's task runner, a few at a time. The session, planning and acceptance they serve live
in `pipeline.fetch_session`, `pipeline.edition_planning` and `pipeline.fetch_acceptance`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.fetch.circuit_breaker import SKIPPED
from extractors.fetch.fetch_document import FetchResult
from extractors.fetch.sources import DocumentRef
from pipeline.edition_planning import companion_refs
from pipeline.fetch_acceptance import accept_companions
from pipeline.fetch_session import RemoteSession
from warehouse.load.companion_rows import CompanionDocument
from warehouse.runs.run_account import RunSummary

MAX_CONCURRENT_FETCHES = 4


@task(name="fetch-remote-document", cache_policy=NO_CACHE)
def fetch_remote_document(
    session: RemoteSession, symbol: str, language: str, force: bool
) -> FetchResult:
    """Fetch one document from the source (the client retries transient causes itself)."""
    return session.fetch(symbol, language, force=force)


def in_waves(task: Any, arguments: Iterable[tuple[Any, ...]]) -> list[Any]:
    """Run `task` over argument tuples, at most MAX_CONCURRENT_FETCHES at a time, in order.

    The rate limiter already spaces requests per host; the waves keep the number of open
    connections within the client's pool.
    """
    pending = list(arguments)
    results: list[Any] = []
    for start in range(0, len(pending), MAX_CONCURRENT_FETCHES):
        futures = [task.submit(*args) for args in pending[start : start + MAX_CONCURRENT_FETCHES]]
        results.extend(future.result() for future in futures)
    return results


def fetch_many(
    session: RemoteSession, wanted: Iterable[tuple[str, str]], force: bool
) -> list[FetchResult]:
    """Fetch (symbol, language) pairs concurrently on the flow's task runner, in order."""
    return in_waves(
        fetch_remote_document, ((session, symbol, language, force) for symbol, language in wanted)
    )


def fetch_companions(
    session: RemoteSession,
    companions: Iterable[str],
    editions: Iterable[DocumentRef],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
) -> tuple[list[CompanionDocument], RunSummary]:
    """Fetch the companions of the planned editions conditionally; return those to store,
    with the account of what was fetched."""
    refs = companion_refs(companions, editions)
    if not refs:
        return [], RunSummary()
    results = fetch_many(session, (("-".join(r.symbols), r.language) for r in refs), force)
    fetches.extend(result for result in results if result.outcome != SKIPPED)
    return accept_companions(session, refs, results, fetches, loaded, force)
