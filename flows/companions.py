"""The run's side of an edition's corrigenda, addenda, revisions and amendments.

A companion (A/77/277/Corr.1) is fetched with its edition, in the edition's languages, and
stored as its own document linked to it; it is never taken for a new edition nor parsed as
one. Known companions come from Digital Library discovery, the data folder's list
(`coopwatch editions add A/77/277/Corr.1`) and the warehouse (those already stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from extractors.errors import NotASymbol
from extractors.fetch import FetchResult
from extractors.sources import DocumentRef
from extractors.symbols import edition_of, split_joint_symbol
from warehouse.companions import CompanionDocument

if TYPE_CHECKING:
    from flows.remote import RemoteSession
    from warehouse.run_summary import RunSummary


def companion_refs(
    companions: Iterable[str], editions: Iterable[DocumentRef]
) -> tuple[DocumentRef, ...]:
    """A ref per companion of a planned edition and per language that edition is fetched in,
    in the order given; companions of editions the run does not fetch wait for their edition."""
    languages: dict[str, list[str]] = {}
    for ref in editions:
        languages.setdefault(ref.symbol, []).append(ref.language)
    refs: dict[tuple[str, str], DocumentRef] = {}
    for joint in companions:
        try:
            parts = split_joint_symbol(joint)
            edition = edition_of(parts[0])
        except NotASymbol:
            continue
        for language in languages.get(edition or "", ()):
            refs.setdefault((parts[0], language), DocumentRef(parts, language))
    return tuple(refs.values())


def accept_companions(
    session: RemoteSession,
    refs: tuple[DocumentRef, ...],
    results: list[FetchResult],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[CompanionDocument]:
    """The companions to store: new or changed bodies. One the server does not have (yet) is
    a note, never a failure: no one asked for it by name."""
    from extractors.breaker import SKIPPED
    from flows.remote import body_for
    from warehouse.companions import COMPANION_VERSION

    accepted = []
    for ref, result in zip(refs, results, strict=True):
        if result.outcome in ("absent", "failed", SKIPPED):
            summary.count(f"companion_{result.outcome}")
            summary.notes.append(
                f"{'-'.join(ref.symbols)} ({ref.language}), of {edition_of(ref.symbol)}: "
                f"{result.outcome}: {result.reason}"
            )
            continue
        if not force and loaded.get((ref.symbol, ref.language)) == (
            result.sha256,
            COMPANION_VERSION,
        ):
            summary.count("companion_unchanged")
            summary.see(ref.symbol, ref.language, result.sha256, "unchanged")
            continue
        found = body_for(session, result, fetches)
        if found is None:
            summary.count("companion_failed")
            summary.notes.append(f"{ref.symbol} ({ref.language}): body lost, refetch failed")
            continue
        final, _body = found
        assert final.sha256 is not None
        summary.see(ref.symbol, ref.language, final.sha256, "fetched")
        accepted.append(
            CompanionDocument(
                symbols=ref.symbols,
                edition=edition_of(ref.symbol) or ref.symbol,
                language=ref.language,
                sha256=final.sha256,
                source_url=final.final_url or final.url,
                source_path=session.raw_path(final.sha256),
            )
        )
    return accepted


def fetch_companions(
    session: RemoteSession,
    companions: Iterable[str],
    editions: Iterable[DocumentRef],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[CompanionDocument]:
    """Fetch the companions of the planned editions conditionally; return those to store."""
    from extractors.breaker import SKIPPED
    from flows.remote import fetch_many

    refs = companion_refs(companions, editions)
    if not refs:
        return []
    results = fetch_many(session, (("-".join(r.symbols), r.language) for r in refs), force)
    fetches.extend(result for result in results if result.outcome != SKIPPED)
    return accept_companions(session, refs, results, fetches, loaded, force, summary)
