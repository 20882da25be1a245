"""Which editions a run fetches: the reviewed list, people's additions, the editions already
loaded, Digital Library discovery and the run's own list; the companions fetched with them;
and the previous reports their texts cite (backward discovery)."""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, replace

from common.errors import NotASymbol
from extractors.fetch.cited_targets import CitedDocument, cited_editions
from extractors.fetch.library_discovery import discover_series_editions
from extractors.fetch.sources import DocumentRef
from extractors.model import Report
from extractors.report.editions import (
    add_edition,
    load_companions,
    load_editions,
    series_titles,
    year_of,
)
from extractors.symbols import edition_of, split_joint_symbol
from pipeline.fetch_session import RemoteSession
from warehouse.runs.run_account import Parsed, RunSummary

MAX_PREVIOUS_WAVES = 5  # backward discovery: previous reports of previous reports, bounded


@dataclass(frozen=True)
class EditionPlan:
    """Which editions a run fetches, which of them discovery found, what it said, every
    edition known (fetched or not), whose symbols are never fetched as cited documents, and
    the editions' companions (corrigenda, addenda: fetched with their edition)."""

    refs: tuple[DocumentRef, ...]
    discovered: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()

    def with_previous(self, refs: tuple[DocumentRef, ...]) -> EditionPlan:
        """The plan grown by previous reports its editions cite (backward discovery)."""
        symbols = tuple(dict.fromkeys("-".join(ref.symbols) for ref in refs))
        return replace(
            self,
            refs=self.refs + refs,
            known=tuple(dict.fromkeys(self.known + symbols)),
            previous=tuple(dict.fromkeys(self.previous + symbols)),
        )


def _by_first_symbol(symbols: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """First symbol -> the fullest joint symbol seen for it, in the order first seen."""
    found: dict[str, tuple[str, ...]] = {}
    for symbol in symbols:
        parts = split_joint_symbol(symbol)
        if len(parts) > len(found.get(parts[0], ())):
            found[parts[0]] = parts
    return found


def plan_editions(
    session: RemoteSession,
    languages: list[str],
    wanted: list[str] | None,
    *,
    discover: bool = True,
) -> EditionPlan:
    """The editions to fetch in each language, oldest first.

    Known editions are the reviewed list, people's additions and the editions already loaded;
    `wanted` keeps only those (and backfills any it names that are not known); discovery adds
    the Digital Library's new editions either way, since a new edition is never unwanted.
    """
    known = _by_first_symbol(
        [edition.symbol for edition in load_editions(session.data_dir)]
        + list(session.knowledge.editions)
    )
    if wanted:
        asked = _by_first_symbol(wanted)
        selected = {first: known.get(first, parts) for first, parts in asked.items()}
    else:
        selected = dict(known)
    discovered: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    companions = load_companions(session.data_dir) + session.knowledge.companions
    if discover:
        result = discover_series_editions(
            session.client,
            session.source,
            series_titles=series_titles(),
            known=["-".join(parts) for parts in {**known, **selected}.values()],
            api_key=session.library_key,
            since=session.discovery_since,
        )
        discovered, notes = result.new_symbols, result.messages
        companions += result.companions
        for first, parts in _by_first_symbol(discovered).items():
            selected.setdefault(first, parts)
    joints = sorted(selected.values(), key=lambda parts: (year_of("-".join(parts)) or 0, parts))
    refs = tuple(
        DocumentRef(symbols=parts, language=language, year=year_of("-".join(parts)))
        for parts in joints
        for language in languages
    )
    every = {**known, **selected}
    return EditionPlan(
        refs=refs,
        discovered=discovered,
        notes=notes,
        known=tuple("-".join(parts) for parts in every.values()),
        companions=tuple(dict.fromkeys(companions)),
    )


def remember_discovered(session: RemoteSession, symbols: Iterable[str]) -> None:
    """Keep editions found by discovery in the data folder's list, so rebuilds know them."""
    for symbol in symbols:
        add_edition(symbol, data_dir=session.data_dir)


def previous_refs(
    reports: Iterable[Report],
    planned: Iterable[DocumentRef],
    loaded: Container[tuple[str, str]],
) -> tuple[DocumentRef, ...]:
    """The previous reports `reports` cite that the run neither plans nor already holds, in
    each citing report's language: backward discovery's next wave, oldest first."""
    taken = {(ref.symbol, ref.language) for ref in planned}
    found: dict[tuple[str, str], DocumentRef] = {}
    for report in reports:
        if not report.previous_report or report.language is None:
            continue
        try:
            parts = split_joint_symbol("-".join(report.previous_report))
        except NotASymbol:
            continue
        key = (parts[0], report.language)
        if key in taken or key in loaded or key in found:
            continue
        found[key] = DocumentRef(parts, report.language, year_of("-".join(parts)))
    return tuple(sorted(found.values(), key=lambda ref: (ref.year or 0, ref.symbols)))


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


def remember_cited_editions(
    session: RemoteSession,
    documents: Iterable[CitedDocument],
    known: Iterable[str],
) -> RunSummary:
    """Add the unknown editions cooperation resolutions cite to the data folder's list, so
    the next run fetches them; the account counts them and says so in a note each."""
    account = RunSummary()
    for symbol, citing in cited_editions(documents, known):
        add_edition(symbol, data_dir=session.data_dir)
        account = account.with_count("cited_editions_added").with_note(
            f"{citing} cites {symbol}, an edition CoopWatch did not know: added to the "
            "editions, fetched next run"
        )
    return account


def remember_loaded_discoveries(
    session: RemoteSession, plan: EditionPlan, parsed: Iterable[Parsed]
) -> RunSummary:
    """Add the editions discovery found (in the Digital Library, or as a loaded edition's
    previous report) and this run loaded to the data folder's list; the account counts them."""
    loaded = {item.report.symbol for item in parsed}
    found = [symbol for symbol in plan.discovered if symbol.split("-")[0] in loaded]
    previous = [symbol for symbol in plan.previous if symbol.split("-")[0] in loaded]
    remember_discovered(session, found + previous)
    account = RunSummary().with_count("discovered", len(found))
    return account.with_count("previous_found", len(previous)) if previous else account


def citing_editions(
    session: RemoteSession, plan: EditionPlan, parsed: Iterable[Parsed]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each planned edition with what it cites: its fresh parse's citations, else those
    loaded before."""
    fresh = {(item.report.symbol, item.report.language): item.report.citations for item in parsed}
    return [
        (
            ref.symbol,
            ref.language,
            fresh.get((ref.symbol, ref.language))
            or session.knowledge.citations.get((ref.symbol, ref.language), ()),
        )
        for ref in plan.refs
    ]
