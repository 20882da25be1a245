"""The documents an edition cites: fetched, parsed by the resolution parser, ready to load.

Each cited symbol is fetched in the citing edition's language, falling back to English when
that text is absent. A cited document that is absent, unreadable or not a resolution is a
note in the run's report and a row in `fetches`, never a failure of the run: only editions
fail a run. One never yet found on the ODS is asked again on every run while the newest
edition citing it is recent, then only once every few days (`warehouse.fetch_state.
RecheckPolicy`); the rechecks a run leaves for later are one note in its report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.derive import DerivedResolution
from extractors.errors import DocumentError
from extractors.fetch import FetchResult
from extractors.resolution import PARSER_VERSION as CITED_PARSER_VERSION
from extractors.resolution import Resolution, document_symbols
from extractors.symbols import split_joint_symbol
from flows.breaker import SKIPPED
from flows.remote import RemoteSession, body_for, in_waves
from warehouse.fetch_state import RecheckPolicy, WaitingDocument, first_symbol

if TYPE_CHECKING:
    from flows.summary import RunSummary

FALLBACK_LANGUAGE = "en"
LISTED_RECHECKS = 20  # rechecks named in the run's note; `coopwatch status` lists them all
COOPERATION_TITLES = (
    "cooperation between the united nations and",
    "coopération entre l'organisation des nations unies et",
)
# The biennial report goes to both organs, so its symbol is always joint: A/NN/NNN-S/YYYY/NNN.
EDITION_SYMBOL = re.compile(r"A/\d{2,3}/\d{1,4}-S/\d{4}/\d{1,4}")


@dataclass(frozen=True)
class CitedDocument:
    """A cited document derived and ready for `warehouse.store.store_derived`."""

    symbol: str
    language: str
    sha256: str
    source_url: str | None
    source_path: str
    derived: DerivedResolution

    @property
    def resolution(self) -> Resolution:
        """What the resolution parser found."""
        return self.derived.resolution

    @property
    def kind(self) -> str:
        """resolution, presidential_statement or other."""
        return self.derived.kind

    @property
    def symbols(self) -> tuple[str, ...]:
        """The symbol as cited, then the one the document prints when it differs."""
        return document_symbols(self.symbol, self.resolution)


def cited_targets(
    citing: Iterable[tuple[str, str, Iterable[str]]], edition_symbols: Iterable[str]
) -> list[tuple[str, str]]:
    """(cited symbol, language) pairs to fetch, in citation order, without the editions.

    `citing` holds (edition symbol, language, cited symbols); any symbol of an edition is
    left out, since editions are fetched as editions.
    """
    editions = {part for symbol in edition_symbols for part in split_joint_symbol(symbol)}
    targets: dict[tuple[str, str], None] = {}
    for _edition, language, cited in citing:
        for symbol in cited:
            if symbol not in editions:
                targets.setdefault((symbol, language), None)
    return list(targets)


@dataclass(frozen=True)
class LaterRecheck:
    """A cited document not yet on the ODS that this run does not ask for, and when one will."""

    symbol: str
    language: str
    absent_since: datetime
    next_recheck: date


def languages_tried(language: str) -> tuple[str, ...]:
    """The languages `fetch_cited` asks for, in order: the citing one, then English."""
    return (language,) if language == FALLBACK_LANGUAGE else (language, FALLBACK_LANGUAGE)


def plan_rechecks(
    targets: list[tuple[str, str]],
    waiting: Mapping[tuple[str, str], WaitingDocument],
    policy: RecheckPolicy,
    today: date,
) -> tuple[list[tuple[str, str]], list[LaterRecheck]]:
    """(targets to fetch now, rechecks left for later), both in target order.

    A target waits only when every language `fetch_cited` would try is waiting (never held,
    always absent); it is asked when its newest citing edition is still inside the window,
    or when its last check (the oldest among those languages) is `every_days` old.
    """
    now: list[tuple[str, str]] = []
    later: list[LaterRecheck] = []
    for symbol, language in targets:
        key = first_symbol(symbol)
        history = [waiting.get((key, tried)) for tried in languages_tried(language)]
        if any(entry is None for entry in history):
            now.append((symbol, language))
            continue
        known = [entry for entry in history if entry is not None]
        appeared = max(entry.appeared for entry in known)
        last_checked = min(entry.last_checked for entry in known).date()
        next_recheck = policy.next_recheck(appeared, last_checked, today)
        if next_recheck == today:
            now.append((symbol, language))
        else:
            since = min(entry.absent_since for entry in known)
            later.append(LaterRecheck(symbol, language, since, next_recheck))
    return now, later


def note_later_rechecks(
    later: list[LaterRecheck], policy: RecheckPolicy, summary: RunSummary
) -> None:
    """Count the rechecks left for later and say which, in one note of the run's report."""
    if not later:
        return
    summary.count("cited_recheck_later", len(later))
    listed = ", ".join(
        f"{item.symbol} ({item.language}, absent since {item.absent_since.date()}, "
        f"next {item.next_recheck})"
        for item in later[:LISTED_RECHECKS]
    )
    if len(later) > LISTED_RECHECKS:
        listed += f" and {len(later) - LISTED_RECHECKS} more (see `coopwatch status`)"
    summary.notes.append(
        f"{len(later)} cited document(s) not on the ODS not rechecked this run: their newest "
        f"citing edition appeared over {policy.window_days} days ago, so they are asked once "
        f"every {policy.every_days} days: {listed}"
    )


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
    transient)."""
    from extractors.derive import derive_document

    derived = derive_document(data, name=name, symbol=symbol, language=language, kind="resolution")
    assert isinstance(derived, DerivedResolution)
    return derived


def gather_cited(
    session: RemoteSession,
    targets: list[tuple[str, str]],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
    *,
    today: date | None = None,
    policy: RecheckPolicy | None = None,
) -> list[CitedDocument]:
    """Fetch every target due (all of them when `force`), parse what changed, and return
    what to load; problems and rechecks left for later are notes. `today` (default: the UTC
    date) and `policy` (default: the session's) decide which rechecks are due."""
    if not force:
        policy = policy or session.recheck
        targets, later = plan_rechecks(
            targets, session.knowledge.waiting, policy, today or datetime.now(UTC).date()
        )
        note_later_rechecks(later, policy, summary)
    fetched = in_waves(fetch_cited, ((session, symbol, lang, force) for symbol, lang in targets))
    accepted: list[tuple[str, FetchResult]] = []
    for (symbol, _language), results in zip(targets, fetched, strict=True):
        fetches.extend(result for result in results if result.outcome != SKIPPED)
        final = results[-1]
        if final.outcome in ("absent", "failed", SKIPPED):
            summary.count(f"cited_{final.outcome}")
            summary.see(symbol, final.language, None, final.outcome)
            tried = ", ".join(result.language for result in results)
            summary.notes.append(f"cited {symbol} ({tried}) {final.outcome}: {final.reason}")
            continue
        summary.count("cited_fetched")
        if not force and loaded.get((symbol, final.language)) == (
            final.sha256,
            CITED_PARSER_VERSION,
        ):
            summary.count("cited_unchanged")
            summary.see(symbol, final.language, final.sha256, "unchanged")
            continue
        summary.see(symbol, final.language, final.sha256, "fetched")
        accepted.append((symbol, final))
    return _parse_accepted(session, accepted, fetches, summary)


def _parse_accepted(
    session: RemoteSession,
    accepted: list[tuple[str, FetchResult]],
    fetches: list[FetchResult],
    summary: RunSummary,
) -> list[CitedDocument]:
    ready: list[tuple[str, FetchResult, bytes]] = []
    for symbol, result in accepted:
        found = body_for(session, result, fetches)
        if found is None:
            summary.count("cited_failed")
            summary.notes.append(f"cited {symbol} ({result.language}): body lost, refetch failed")
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
        except Exception as error:  # one unreadable cited document never sinks the run
            cause = str(error) if isinstance(error, DocumentError) else repr(error)
            summary.count("cited_unparsed")
            summary.notes.append(f"cited {symbol} ({final.language}) not parsed: {cause}")
            continue
        summary.count("cited_parsed")
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
    return documents


def is_cooperation_resolution(resolution: Resolution) -> bool:
    """True for a cooperation resolution, the kind whose footnotes cite the report's editions."""
    title = resolution.title.replace("\u2019", "'").strip().casefold()
    return title.startswith(COOPERATION_TITLES)


def cited_editions(
    documents: Iterable[CitedDocument], known: Iterable[str]
) -> list[tuple[str, str]]:
    """(edition symbol, citing symbol) for each edition a cooperation resolution cites that
    is not among the `known` editions, in citation order."""
    taken = {split_joint_symbol(symbol)[0] for symbol in known}
    found: dict[str, str] = {}
    for document in documents:
        if not is_cooperation_resolution(document.resolution):
            continue
        for symbol in document.resolution.cites:
            normal = symbol.replace("\u2013", "-").replace(" ", "")
            if not EDITION_SYMBOL.fullmatch(normal):
                continue
            first = split_joint_symbol(normal)[0]
            if first not in taken and normal not in found:
                taken.add(first)
                found[normal] = document.symbol
    return list(found.items())


def remember_cited_editions(
    session: RemoteSession,
    documents: Iterable[CitedDocument],
    known: Iterable[str],
    summary: RunSummary,
) -> list[str]:
    """Add the unknown editions cooperation resolutions cite to the data folder's list, so
    the next run fetches them, and say so in a note; returns the symbols added."""
    from extractors.editions import add_edition

    added = []
    for symbol, citing in cited_editions(documents, known):
        add_edition(symbol, data_dir=session.data_dir)
        added.append(symbol)
        summary.notes.append(
            f"{citing} cites {symbol}, an edition CoopWatch did not know: added to the "
            "editions, fetched next run"
        )
    if added:
        summary.count("cited_editions_added", len(added))
    return added


def _name(result: FetchResult) -> str:
    return f"{result.symbol} [{result.language}] {result.final_url or result.url}"
