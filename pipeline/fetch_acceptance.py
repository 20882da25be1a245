"""What a run keeps of its fetches: the bodies to parse or store, held editions a server
now calls absent (suspect absences), fetches the open breaker skipped, and previous reports
or companions the server does not have, each counted and noted in the run's account.

The report parser's version is read when a run compares, not at import, so a run always
compares with the parser it derives with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from extractors.derive import DerivedReport
from extractors.fetch.circuit_breaker import SKIPPED
from extractors.fetch.fetch_document import FetchResult
from extractors.fetch.sources import DocumentRef, FetchedDocument
from extractors.report import report_parser
from extractors.resolution.resolution_parser import PARSER_VERSION as CITED_PARSER_VERSION
from extractors.symbols import edition_of
from pipeline.fetch_session import RemoteSession, body_for
from warehouse.load.companion_rows import COMPANION_VERSION, CompanionDocument
from warehouse.runs.run_account import Parsed, RunSummary


def accept_editions(
    session: RemoteSession,
    refs: tuple[DocumentRef, ...],
    results: list[FetchResult],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[FetchedDocument]:
    """Turn edition fetches into the documents to parse.

    A body whose hash and parser version are already loaded is skipped without being read.
    An edition CoopWatch already holds that the server now calls absent is a suspect
    absence: kept as loaded, noted, retried next run, never a failure; one the open circuit
    breaker did not ask for is noted the same way. Other absent or failed editions fail.
    """
    to_parse = []
    for ref, result in zip(refs, results, strict=True):
        key = (ref.symbol, ref.language)
        held = key in loaded or session.held(ref.symbol, ref.language)
        if result.outcome == SKIPPED or (result.outcome == "absent" and held):
            _note_not_fetched(ref, result, loaded.get(key, (None, None))[0], held, summary)
            continue
        if result.outcome in ("absent", "failed"):
            summary.count(result.outcome)
            summary.see(ref.symbol, ref.language, result.sha256, result.outcome)
            summary.failures.append(result.error or f"{ref.symbol} ({ref.language}): failed")
            continue
        summary.count(result.outcome)
        if not force and loaded.get(key) == (result.sha256, report_parser.PARSER_VERSION):
            summary.count("unchanged")
            summary.see(ref.symbol, ref.language, result.sha256, "unchanged")
            continue
        found = body_for(session, result, fetches)
        if found is None:
            summary.count("failed")
            summary.see(ref.symbol, ref.language, result.sha256, "failed")
            summary.failures.append(
                f"{ref.symbol} [{ref.language}]: the raw store lost the body and refetching failed"
            )
            continue
        final, body = found
        assert final.sha256 is not None
        summary.see(ref.symbol, ref.language, final.sha256, "fetched")
        to_parse.append(
            FetchedDocument(
                ref=ref,
                data=body,
                sha256=final.sha256,
                source_url=final.final_url or final.url,
                source_path=session.raw_path(final.sha256),
            )
        )
    return to_parse


def _note_not_fetched(
    ref: DocumentRef, result: FetchResult, sha256: str | None, held: bool, summary: RunSummary
) -> None:
    """Count and explain an edition kept as it was (`sha256`: the bytes loaded, if any): a
    suspect absence or a fetch the open circuit breaker skipped."""
    if result.outcome == SKIPPED:
        summary.count("skipped")
        summary.see(ref.symbol, ref.language, sha256, "skipped")
        state = "kept as loaded" if held else "not loaded yet"
        summary.notes.append(f"{ref.symbol} ({ref.language}): {result.reason}; {state}")
        return
    summary.count("suspect")
    summary.see(ref.symbol, ref.language, sha256, "suspect_absence")
    summary.notes.append(
        f"{ref.symbol} ({ref.language}): suspect absence, the server now answers "
        f"{result.reason}; kept as loaded, retried next run"
    )


def split_missing_previous(
    refs: tuple[DocumentRef, ...], results: list[FetchResult], summary: RunSummary
) -> tuple[tuple[DocumentRef, ...], list[FetchResult]]:
    """Keep the previous reports the server gave (or skipped); an absent or failed one is a
    note and a row in `fetches`, never a failure nor a manifest document, since no one
    asked for it by name."""
    kept: list[tuple[DocumentRef, FetchResult]] = []
    for ref, result in zip(refs, results, strict=True):
        if result.outcome in ("absent", "failed"):
            summary.count(f"previous_{result.outcome}")
            summary.notes.append(
                f"previous report {'-'.join(ref.symbols)} ({ref.language}) "
                f"{result.outcome}: {result.reason}"
            )
        else:
            kept.append((ref, result))
    return tuple(ref for ref, _ in kept), [result for _, result in kept]


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


def accept_cited(
    targets: Sequence[tuple[str, str]],
    fetched: Sequence[list[FetchResult]],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[tuple[str, FetchResult]]:
    """The cited documents to parse, each with its final fetch (the English one when the
    citing language was absent); every fetch made is added to `fetches`. An absent, failed
    or skipped document is a note, and one already loaded with these bytes is unchanged."""
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
    return accepted


def select_changed(
    fetched: list[FetchedDocument],
    states: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[FetchedDocument]:
    """Keep the documents whose bytes or parser version differ from what is loaded."""
    changed = []
    for document in fetched:
        key = (document.ref.symbol, document.ref.language)
        if not force and states.get(key) == (document.sha256, report_parser.PARSER_VERSION):
            summary.count("unchanged")
            summary.see(document.ref.symbol, document.ref.language, document.sha256, "unchanged")
        else:
            summary.see(document.ref.symbol, document.ref.language, document.sha256, "fetched")
            changed.append(document)
    return changed


def keep_parsed(
    documents: Sequence[FetchedDocument],
    results: Sequence[DerivedReport | Exception],
    summary: RunSummary,
) -> list[Parsed]:
    """Pair each document with its parse; one that could not be parsed is a failure with its
    reason, and the others go on."""
    parsed = []
    for document, result in zip(documents, results, strict=True):
        if isinstance(result, Exception):
            summary.failures.append(f"{document.ref.symbol} ({document.ref.language}): {result}")
            summary.count("failed")
            summary.see(document.ref.symbol, document.ref.language, document.sha256, "failed")
        else:
            summary.count("parsed")
            parsed.append(Parsed(document, result))
    return parsed
