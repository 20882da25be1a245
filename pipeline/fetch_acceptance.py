"""What a run keeps of its fetches: the bodies to parse or store, held editions a server
now calls absent (suspect absences), fetches the open breaker skipped, and previous reports
or companions the server does not have; each step returns its list with the account of
it, which the flow folds into the run's.

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
) -> tuple[list[FetchedDocument], RunSummary]:
    """Turn edition fetches into the documents to parse, with the account of what was kept.

    A body whose hash and parser version are already loaded is skipped without being read.
    An edition CoopWatch already holds that the server now calls absent is a suspect
    absence: kept as loaded, noted, retried next run, never a failure; one the open circuit
    breaker did not ask for is noted the same way. Other absent or failed editions fail.
    """
    to_parse = []
    account = RunSummary()
    for ref, result in zip(refs, results, strict=True):
        document, accepting = _accept_edition(session, ref, result, fetches, loaded, force)
        account = account.plus(accepting)
        if document is not None:
            to_parse.append(document)
    return to_parse, account


def _accept_edition(
    session: RemoteSession,
    ref: DocumentRef,
    result: FetchResult,
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
) -> tuple[FetchedDocument | None, RunSummary]:
    """One edition's fetch: the document to parse (None when there is none), with its account."""
    key = (ref.symbol, ref.language)
    held = key in loaded or session.held(ref.symbol, ref.language)
    if result.outcome == SKIPPED or (result.outcome == "absent" and held):
        return None, _note_not_fetched(ref, result, loaded.get(key, (None, None))[0], held)
    if result.outcome in ("absent", "failed"):
        return None, (
            RunSummary()
            .with_count(result.outcome)
            .with_document(ref.symbol, ref.language, result.sha256, result.outcome)
            .with_failure(result.error or f"{ref.symbol} ({ref.language}): failed")
        )
    account = RunSummary().with_count(result.outcome)
    if not force and loaded.get(key) == (result.sha256, report_parser.PARSER_VERSION):
        return None, account.with_count("unchanged").with_document(
            ref.symbol, ref.language, result.sha256, "unchanged"
        )
    found = body_for(session, result, fetches)
    if found is None:
        return None, (
            account.with_count("failed")
            .with_document(ref.symbol, ref.language, result.sha256, "failed")
            .with_failure(
                f"{ref.symbol} [{ref.language}]: the raw store lost the body and refetching failed"
            )
        )
    final, body = found
    assert final.sha256 is not None
    document = FetchedDocument(
        ref=ref,
        data=body,
        sha256=final.sha256,
        source_url=final.final_url or final.url,
        source_path=session.raw_path(final.sha256),
    )
    return document, account.with_document(ref.symbol, ref.language, final.sha256, "fetched")


def _note_not_fetched(
    ref: DocumentRef, result: FetchResult, sha256: str | None, held: bool
) -> RunSummary:
    """Count and explain an edition kept as it was (`sha256`: the bytes loaded, if any): a
    suspect absence or a fetch the open circuit breaker skipped."""
    if result.outcome == SKIPPED:
        state = "kept as loaded" if held else "not loaded yet"
        return (
            RunSummary()
            .with_count("skipped")
            .with_document(ref.symbol, ref.language, sha256, "skipped")
            .with_note(f"{ref.symbol} ({ref.language}): {result.reason}; {state}")
        )
    return (
        RunSummary()
        .with_count("suspect")
        .with_document(ref.symbol, ref.language, sha256, "suspect_absence")
        .with_note(
            f"{ref.symbol} ({ref.language}): suspect absence, the server now answers "
            f"{result.reason}; kept as loaded, retried next run"
        )
    )


def split_missing_previous(
    refs: tuple[DocumentRef, ...], results: list[FetchResult]
) -> tuple[tuple[DocumentRef, ...], list[FetchResult], RunSummary]:
    """Keep the previous reports the server gave (or skipped); an absent or failed one is a
    note and a row in `fetches`, never a failure nor a manifest document, since no one
    asked for it by name."""
    kept: list[tuple[DocumentRef, FetchResult]] = []
    account = RunSummary()
    for ref, result in zip(refs, results, strict=True):
        if result.outcome in ("absent", "failed"):
            account = account.with_count(f"previous_{result.outcome}").with_note(
                f"previous report {'-'.join(ref.symbols)} ({ref.language}) "
                f"{result.outcome}: {result.reason}"
            )
        else:
            kept.append((ref, result))
    return tuple(ref for ref, _ in kept), [result for _, result in kept], account


def accept_companions(
    session: RemoteSession,
    refs: tuple[DocumentRef, ...],
    results: list[FetchResult],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
) -> tuple[list[CompanionDocument], RunSummary]:
    """The companions to store: new or changed bodies. One the server does not have (yet) is
    a note, never a failure: no one asked for it by name."""
    accepted = []
    account = RunSummary()
    for ref, result in zip(refs, results, strict=True):
        if result.outcome in ("absent", "failed", SKIPPED):
            account = account.with_count(f"companion_{result.outcome}").with_note(
                f"{'-'.join(ref.symbols)} ({ref.language}), of {edition_of(ref.symbol)}: "
                f"{result.outcome}: {result.reason}"
            )
            continue
        if not force and loaded.get((ref.symbol, ref.language)) == (
            result.sha256,
            COMPANION_VERSION,
        ):
            account = account.with_count("companion_unchanged").with_document(
                ref.symbol, ref.language, result.sha256, "unchanged"
            )
            continue
        found = body_for(session, result, fetches)
        if found is None:
            account = account.with_count("companion_failed").with_note(
                f"{ref.symbol} ({ref.language}): body lost, refetch failed"
            )
            continue
        final, _body = found
        assert final.sha256 is not None
        account = account.with_document(ref.symbol, ref.language, final.sha256, "fetched")
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
    return accepted, account


def accept_cited(
    targets: Sequence[tuple[str, str]],
    fetched: Sequence[list[FetchResult]],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
) -> tuple[list[tuple[str, FetchResult]], RunSummary]:
    """The cited documents to parse, each with its final fetch (the English one when the
    citing language was absent); every fetch made is added to `fetches`. An absent, failed
    or skipped document is a note, and one already loaded with these bytes is unchanged."""
    accepted: list[tuple[str, FetchResult]] = []
    account = RunSummary()
    for (symbol, _language), results in zip(targets, fetched, strict=True):
        fetches.extend(result for result in results if result.outcome != SKIPPED)
        final = results[-1]
        if final.outcome in ("absent", "failed", SKIPPED):
            tried = ", ".join(result.language for result in results)
            account = (
                account.with_count(f"cited_{final.outcome}")
                .with_document(symbol, final.language, None, final.outcome)
                .with_note(f"cited {symbol} ({tried}) {final.outcome}: {final.reason}")
            )
            continue
        account = account.with_count("cited_fetched")
        if not force and loaded.get((symbol, final.language)) == (
            final.sha256,
            CITED_PARSER_VERSION,
        ):
            account = account.with_count("cited_unchanged").with_document(
                symbol, final.language, final.sha256, "unchanged"
            )
            continue
        account = account.with_document(symbol, final.language, final.sha256, "fetched")
        accepted.append((symbol, final))
    return accepted, account


def select_changed(
    fetched: list[FetchedDocument],
    states: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
) -> tuple[list[FetchedDocument], RunSummary]:
    """Keep the documents whose bytes or parser version differ from what is loaded."""
    changed = []
    account = RunSummary()
    for document in fetched:
        ref = document.ref
        if not force and states.get((ref.symbol, ref.language)) == (
            document.sha256,
            report_parser.PARSER_VERSION,
        ):
            account = account.with_count("unchanged").with_document(
                ref.symbol, ref.language, document.sha256, "unchanged"
            )
        else:
            account = account.with_document(ref.symbol, ref.language, document.sha256, "fetched")
            changed.append(document)
    return changed, account


def keep_parsed(
    documents: Sequence[FetchedDocument],
    results: Sequence[DerivedReport | Exception],
) -> tuple[list[Parsed], RunSummary]:
    """Pair each document with its parse; one that could not be parsed is a failure with its
    reason, and the others go on."""
    parsed = []
    account = RunSummary()
    for document, result in zip(documents, results, strict=True):
        ref = document.ref
        if isinstance(result, Exception):
            account = (
                account.with_failure(f"{ref.symbol} ({ref.language}): {result}")
                .with_count("failed")
                .with_document(ref.symbol, ref.language, document.sha256, "failed")
            )
        else:
            account = account.with_count("parsed")
            parsed.append(Parsed(document, result))
    return parsed, account
