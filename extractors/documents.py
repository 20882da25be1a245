"""Derive one local file (the CLI's `parse` and `ingest`) or one fetched edition (a run's
parse tasks) by the one derivation path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractors.derive import Derived, DerivedReport, derive_document, read_masthead_of
from extractors.readers.route import read_local_bytes
from extractors.readers.sniff import detect_form

if TYPE_CHECKING:
    from extractors.fetch.sources import FetchedDocument


def derive_file(
    path: Path, *, symbol: str | None, language: str | None, gate: bool = True
) -> Derived:
    """Derive a report or resolution file; the kind, symbol and language come from the
    document where the hints do not give them (`gate` as in `derive_document`)."""
    return derive_document(
        read_local_bytes(path), name=str(path), symbol=symbol, language=language, gate=gate
    )


def parse_document(document: FetchedDocument) -> DerivedReport:
    """Derive one fetched edition by the one derivation path (parse, enrich, gate); a
    document printing another symbol (in its running headers, else on its masthead), or in
    another language, than asked is a WrongDocument."""
    # Imported here: a file's parse (the CLI) checks no asked identity.
    from extractors.printed_identity import check_printed_identity
    from extractors.report.report_parser import detect_language

    name = document.source_path or document.source_url or document.ref.symbol
    derived = derive_document(
        document.data,
        name=name,
        symbol="-".join(document.ref.symbols),
        language=document.ref.language,
        kind="report",
    )
    assert isinstance(derived, DerivedReport)
    report = derived.report
    check_printed_identity(
        report,
        name=name,
        asked_symbols=document.ref.symbols,
        asked_language=document.ref.language,
        detected_language=detect_language(" ".join(p.text for p in report.paragraphs[:200])),
        masthead_symbols=lambda: (
            read_masthead_of(document.data, detect_form(document.data, name)).symbols
        ),
    )
    return derived


def derived_as_dict(derived: Derived) -> dict[str, Any]:
    """What a derivation found, as the CLI's `parse` prints it: the report's structure, or
    the resolution's with its symbol and language."""
    if isinstance(derived, DerivedReport):
        return derived.report.to_dict()
    data = derived.resolution.to_dict()
    data.update(symbol=derived.symbol, language=derived.language)
    return data


def parse_summary(data: dict[str, Any]) -> str:
    """A report's sections with their paragraph ranges, or a resolution's parts, one a line."""
    lines = [
        f"{' / '.join(data.get('symbols') or [data.get('symbol') or '?'])} ({data.get('language')})"
        f" {data['kind']}"
    ]
    for section in data.get("sections", []):
        lines.append(
            f"  {section['first_paragraph'] or '-':>4}–{section['last_paragraph'] or '-':<4} "
            f"{section['paragraph_count']:>3} ¶  {section['heading']}"
        )
    if data["kind"] == "resolution":
        lines.append(f"  {data.get('organ') or '?'}, adopted {data.get('adopted') or '?'}")
        lines.append(f"  {data.get('title') or ''}")
        lines.append(
            f"  {len(data['preambular'])} preambular, {len(data['operative'])} operative, "
            f"{len(data['annex'])} annex paragraph(s); cites {len(data['cites'])} document(s)"
        )
    return "\n".join(lines)
