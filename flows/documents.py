"""Parse one local document into its structure, choosing the parser from the content."""

from __future__ import annotations

from pathlib import Path

from extractors.model import Report
from extractors.report import parse_report_file


def parse_document_file(path: Path, *, symbol: str | None, language: str | None) -> Report:
    """Parse a report file and enrich it with organizations, entities, areas and citations."""
    report = parse_report_file(path, symbol=symbol, language=language)
    return enrich(report)


def enrich(report: Report) -> Report:
    """Fill in what the reference data knows (organizations, UN entities, areas, citations)."""
    from extractors.enrich import enrich_report

    return enrich_report(report)
