"""The documents an edition cites: fetched, parsed by the resolution parser, ready to load.

Each cited symbol is fetched in the citing edition's language, falling back to English when
that text is absent. A cited document that is absent, unreadable or not a resolution is a
note in the run's report and a row in `fetches`, never a failure of the run: only editions
fail a run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.errors import DocumentError
from extractors.fetch import FetchResult
from extractors.resolution import Resolution
from extractors.symbols import split_joint_symbol
from flows.breaker import SKIPPED
from flows.remote import RemoteSession, body_for, in_waves

if TYPE_CHECKING:
    from flows.nightly import RunSummary

CITED_PARSER_VERSION = "resolution-1.0"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class CitedDocument:
    """A cited document parsed and ready for `warehouse.load.load_document`."""

    symbol: str
    language: str
    kind: str
    sha256: str
    source_url: str | None
    source_path: str
    resolution: Resolution

    @property
    def symbols(self) -> tuple[str, ...]:
        """The symbol as cited, then the one the document prints when it differs."""
        return document_symbols(self.symbol, self.resolution)


def document_symbols(cited: str, resolution: Resolution) -> tuple[str, ...]:
    """The symbol as cited, then the one the document prints when it differs."""
    printed = resolution.symbol
    return (cited, printed) if printed and printed != cited else (cited,)


def kind_of(symbol: str) -> str:
    """The `documents.kind` of a cited symbol: resolution, presidential_statement or other."""
    if "/PRST/" in symbol:
        return "presidential_statement"
    if "/RES/" in symbol:
        return "resolution"
    return "other"


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
def parse_cited(data: bytes, symbol: str, language: str, name: str) -> Resolution:
    """Parse a cited document with the resolution parser (not retried: parsing is not transient)."""
    from extractors.resolution import parse_resolution_bytes

    return parse_resolution_bytes(data, name=name, symbol=symbol, language=language)


def gather_cited(
    session: RemoteSession,
    targets: list[tuple[str, str]],
    fetches: list[FetchResult],
    loaded: Mapping[tuple[str, str], tuple[str, str]],
    force: bool,
    summary: RunSummary,
) -> list[CitedDocument]:
    """Fetch every target, parse what changed, and return what to load; problems are notes."""
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
            resolution = future.result()
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
                kind=kind_of(symbol),
                sha256=final.sha256,
                source_url=final.final_url or final.url,
                source_path=session.raw_path(final.sha256),
                resolution=resolution,
            )
        )
    return documents


def _name(result: FetchResult) -> str:
    return f"{result.symbol} [{result.language}] {result.final_url or result.url}"
