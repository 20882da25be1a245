"""What editions cite, sorted: the targets to fetch, and cooperation resolutions that cite
editions CoopWatch does not know yet.

Pure functions over symbols and parsed resolutions: no network, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from extractors.derive import DerivedResolution
from extractors.resolution.resolution_parser import Resolution, document_symbols
from extractors.symbols import (
    edition_of,
    is_symbol,
    normalize_symbol,
    parse_symbol,
    split_joint_symbol,
)

COOPERATION_TITLES = (
    "cooperation between the united nations and",
    "coopération entre l'organisation des nations unies et",
)


class CitingDocument(Protocol):
    """A parsed cited document: the symbol it was cited by and what the parser found."""

    @property
    def symbol(self) -> str:
        """The citing edition's symbol."""

    @property
    def resolution(self) -> Resolution:
        """The parsed cooperation resolution."""


def cited_targets(
    citing: Iterable[tuple[str, str, Iterable[str]]], edition_symbols: Iterable[str]
) -> list[tuple[str, str]]:
    """(cited symbol, language) pairs to fetch, in citation order, without the editions.

    `citing` holds (edition symbol, language, cited symbols); any symbol of an edition, or
    of an edition's corrigendum or addendum (A/77/277/Corr.1), is left out, since editions
    are fetched as editions and their companions with them.
    """
    editions = {part for symbol in edition_symbols for part in split_joint_symbol(symbol)}
    targets: dict[tuple[str, str], None] = {}
    for _edition, language, cited in citing:
        for symbol in cited:
            if symbol not in editions and edition_of(symbol) not in editions:
                targets.setdefault((symbol, language), None)
    return list(targets)


def is_cooperation_resolution(resolution: Resolution) -> bool:
    """True for a cooperation resolution, the kind whose footnotes cite the report's editions."""
    title = resolution.title.replace("\u2019", "'").strip().casefold()
    return title.startswith(COOPERATION_TITLES)


def cited_editions(
    documents: Iterable[CitingDocument], known: Iterable[str]
) -> list[tuple[str, str]]:
    """(edition symbol, citing symbol) for each edition a cooperation resolution cites that
    is not among the `known` editions, in citation order."""
    taken = {split_joint_symbol(symbol)[0] for symbol in known}
    found: dict[str, str] = {}
    for document in documents:
        if not is_cooperation_resolution(document.resolution):
            continue
        for symbol in document.resolution.cites:
            if not is_edition_symbol(symbol):
                continue
            normal = normalize_symbol(symbol)
            first = split_joint_symbol(normal)[0]
            if first not in taken and normal not in found:
                taken.add(first)
                found[normal] = document.symbol
    return list(found.items())


def is_edition_symbol(symbol: str) -> bool:
    """True for the joint form every edition takes, since the biennial report goes to both
    organs: a plain GA document and a plain SC document (A/79/302-S/2024/600)."""
    if not is_symbol(symbol):
        return False
    parts = [parse_symbol(part) for part in split_joint_symbol(symbol)]
    kinds = [(part.kind, bool(part.suffixes or part.original)) for part in parts]
    return kinds == [("ga_document", False), ("sc_document", False)]


@dataclass(frozen=True)
class CitedDocument:
    """A cited document derived and ready for `warehouse.load.store_derived.store_derived`."""

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
