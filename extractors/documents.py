"""Derive one local file (the CLI's `parse` and `ingest`) by the one derivation path."""

from __future__ import annotations

from pathlib import Path

from extractors.derive import Derived, derive_document
from extractors.readers.route import read_local_bytes


def derive_file(
    path: Path, *, symbol: str | None, language: str | None, gate: bool = True
) -> Derived:
    """Derive a report or resolution file; the kind, symbol and language come from the
    document where the hints do not give them (`gate` as in `derive_document`)."""
    return derive_document(
        read_local_bytes(path), name=str(path), symbol=symbol, language=language, gate=gate
    )
