"""Derive one local file (the CLI's `parse` and `ingest`) or one fetched edition (a run's
parse tasks) by the one derivation path."""

from __future__ import annotations

from pathlib import Path

from extractors.derive import Derived, DerivedReport, derive_document
from extractors.readers.route import read_local_bytes
from extractors.sources import FetchedDocument


def derive_file(
    path: Path, *, symbol: str | None, language: str | None, gate: bool = True
) -> Derived:
    """Derive a report or resolution file; the kind, symbol and language come from the
    document where the hints do not give them (`gate` as in `derive_document`)."""
    return derive_document(
        read_local_bytes(path), name=str(path), symbol=symbol, language=language, gate=gate
    )


def parse_document(document: FetchedDocument) -> DerivedReport:
    """Derive one fetched edition by the one derivation path (parse, enrich, gate)."""
    derived = derive_document(
        document.data,
        name=document.source_path or document.source_url or document.ref.symbol,
        symbol="-".join(document.ref.symbols),
        language=document.ref.language,
        kind="report",
    )
    assert isinstance(derived, DerivedReport)
    return derived
