"""Where a run's documents come from: the bundled editions or UN-like services."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractors.fetch.bundled_editions import bundled_editions
from extractors.fetch.local_file import read_local_file


@dataclass(frozen=True)
class DocumentRef:
    """A document the run should have: its symbols, language and where to get it."""

    symbols: tuple[str, ...]
    language: str
    year: int | None = None
    path: Path | None = None

    @property
    def symbol(self) -> str:
        """The document's first (main) symbol."""
        return self.symbols[0]


@dataclass(frozen=True)
class FetchedDocument:
    """A document's bytes as received, with their hash and origin."""

    ref: DocumentRef
    data: bytes
    sha256: str
    source_url: str | None
    source_path: str | None


def bundled_documents(
    languages: list[str], editions: list[str] | None, corpus_dir: Path | None = None
) -> list[DocumentRef]:
    """The shipped editions in the requested languages (and editions, when given)."""
    wanted = {symbol.split("-")[0].strip() for symbol in editions} if editions else None
    return [
        DocumentRef(symbols=e.symbols, language=e.language, year=e.year, path=e.path)
        for e in bundled_editions(corpus_dir)
        if e.language in languages and (wanted is None or e.symbol in wanted)
    ]


def read_bundled(ref: DocumentRef) -> FetchedDocument:
    """Read a shipped edition from the corpus folder."""
    assert ref.path is not None
    data = read_local_file(ref.path)
    return FetchedDocument(
        ref=ref,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        source_url=None,
        source_path=str(ref.path.name),
    )
