"""Parse one local document into its structure, choosing the parser from the content."""

from __future__ import annotations

from pathlib import Path

from extractors.gate import GateResult
from extractors.model import Report
from extractors.report import parse_report_file


def parse_document_file(path: Path, *, symbol: str | None, language: str | None) -> Report:
    """Parse a report file and enrich it with organizations, entities, areas and citations."""
    report = parse_report_file(path, symbol=symbol, language=language)
    return enrich(report)


def gate_document_file(path: Path, report: Report) -> GateResult:
    """Run the text-preservation gate on a report parsed from `path`."""
    from extractors.gate import run_gate
    from extractors.localfile import read_local_file

    return run_gate(report, read_local_file(path), name=str(path))


def enrich(report: Report) -> Report:
    """Fill in what the reference data knows (organizations, UN entities, areas, citations)."""
    from extractors.enrich import enrich_report

    return enrich_report(report)
