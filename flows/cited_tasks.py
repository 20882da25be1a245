"""The documents an edition cites: fetched, parsed by the resolution parser, ready to load.

Each cited symbol is fetched in the citing edition's language, falling back to English when
that text is absent. A cited document that is absent, unreadable or not a resolution is a
note in the run's report and a row in `fetches`, never a failure of the run; one that prints
another symbol than it was fetched as (a server planting a document) is a failure naming
both, its fetch recorded as failed and nothing stored. One never yet found on the ODS is asked again on every run while the newest
edition citing it is recent, then only once every few days (`warehouse.runs.fetch_state.
RecheckPolicy`); the rechecks a run leaves for later are one note in its report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from common.errors import DocumentError
from extractors.derive import DerivedResolution, derive_document
from extractors.fetch.cited_targets import CitedDocument
from extractors.fetch.fetch_document import FetchResult
from extractors.printed_identity import WrongDocument, check_cited_identity
from flows.fetch_tasks import in_waves
from pipeline.fetch_acceptance import accept_cited
from pipeline.fetch_rechecks import FALLBACK_LANGUAGE, note_later_rechecks, plan_rechecks
from pipeline.fetch_session import RemoteSession, body_for
from warehouse.runs.fetch_state import RecheckPolicy
from warehouse.runs.run_account import RunSummary


@task(name="fetch-cited-document", cache_policy=NO_CACHE)
def fetch_cited(
    session: RemoteSession, symbol: str, language: str, force: bool
) -> list[FetchResult]:
    """Fetch a cited document in `language`, then in English when that text is absent."""
    results = [session.fetch(symbol, language, force=force)]
    if results[0].outcome == "absent" and language != FALLBACK_LANGUAGE:
        results.append(session.fetch(symbol, FALLBACK_LANGUAGE, force=force))
    return results


@task(name="parse-cited-document", cache_policy=NO_CACHE)
def parse_cited(data: bytes, symbol: str, language: str, name: str) -> DerivedResolution:
    """Derive a cited document with the resolution parser (not retried: parsing is not
    transient); one printing another symbol than `symbol` is a WrongDocument."""
    derived = derive_document(data, name=name, symbol=symbol, language=language, kind="resolution")
    assert isinstance(derived, DerivedResolution)
    check_cited_identity(derived.resolution.symbol, name=name, asked=symbol)
    return derived


def gather_cited(
    session: RemoteSession,
    targets: list[tuple[str, str]],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    *,
    today: date | None = None,
    policy: RecheckPolicy | None = None,
) -> tuple[list[CitedDocument], RunSummary]:
    """Fetch every target due (all of them when `force`), parse what changed, and return
    what to load with its account; problems and rechecks left for later are notes. `today`
    (default: the UTC date) and `policy` (default: the session's) decide which rechecks are
    due."""
    account = RunSummary()
    if not force:
        policy = policy or session.recheck
        targets, later = plan_rechecks(
            targets, session.knowledge.waiting, policy, today or datetime.now(UTC).date()
        )
        account = note_later_rechecks(later, policy)
    fetched = in_waves(fetch_cited, ((session, symbol, lang, force) for symbol, lang in targets))
    accepted, accepting = accept_cited(targets, fetched, fetches, loaded, force)
    documents, parsing = _parse_accepted(session, accepted, fetches)
    return documents, account.plus(accepting, parsing)


def _parse_accepted(
    session: RemoteSession,
    accepted: list[tuple[str, FetchResult]],
    fetches: list[FetchResult],
) -> tuple[list[CitedDocument], RunSummary]:
    """Parse the accepted cited documents' bodies on the task runner, with the account."""
    ready: list[tuple[str, FetchResult, bytes]] = []
    account = RunSummary()
    for symbol, result in accepted:
        found = body_for(session, result, fetches)
        if found is None:
            account = account.with_count("cited_failed").with_note(
                f"cited {symbol} ({result.language}): body lost, refetch failed"
            )
        else:
            ready.append((symbol, *found))
    futures = [
        parse_cited.submit(body, symbol, final.language, _name(final))
        for symbol, final, body in ready
    ]
    documents = []
    for (symbol, final, _body), future in zip(ready, futures, strict=True):
        try:
            derived = future.result()
        except WrongDocument as error:  # planted: a failure, its fetch not accepted
            account = account.with_count("cited_failed").with_failure(str(error))
            _refuse_fetch(fetches, final, str(error))
            continue
        except Exception as error:  # one unreadable cited document never sinks the run
            cause = str(error) if isinstance(error, DocumentError) else repr(error)
            account = account.with_count("cited_unparsed").with_note(
                f"cited {symbol} ({final.language}) not parsed: {cause}"
            )
            continue
        account = account.with_count("cited_parsed")
        assert final.sha256 is not None
        documents.append(
            CitedDocument(
                symbol=symbol,
                language=final.language,
                sha256=final.sha256,
                source_url=final.final_url or final.url,
                source_path=session.raw_path(final.sha256),
                derived=derived,
            )
        )
    return documents, account


def _refuse_fetch(fetches: list[FetchResult], result: FetchResult, reason: str) -> None:
    """Record `result` among the run's fetches as failed for `reason`, so no later run takes
    its body (or its validators) as the document's."""
    refused = replace(result, outcome="failed", reason=reason, error=reason)
    fetches[:] = [refused if fetch is result else fetch for fetch in fetches]


def _name(result: FetchResult) -> str:
    return f"{result.symbol} [{result.language}] {result.final_url or result.url}"
