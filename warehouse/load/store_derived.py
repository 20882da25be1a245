"""The one way a derived document goes into the warehouse, for every command.

`store_derived` takes what `extractors.derive.derive_document` made of some bytes and writes
its rows: a report's structure with its parse ledger and gate verdict, a resolution's row,
citations, paragraphs and mandate. Documents not loaded yet go in one batch; a document that cannot be loaded
(a repeated paragraph number) is an outcome with its reason, and the others still load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb

from common.errors import UnloadableDocument
from extractors.derive import Derived, DerivedReport, DerivedResolution
from extractors.model import Report
from extractors.resolution.resolution_parser import document_symbols
from warehouse.load.batch_loader import load_new_reports
from warehouse.load.ledger import record_parse
from warehouse.load.loader import load_document, load_report
from warehouse.load.read_back import document_state, read_report
from warehouse.load.report_rows import LoadedDocuments, NewReport, check_paragraph_numbers
from warehouse.load.resolution_rows import write_resolution_rows

Outcome = Literal["new", "unchanged", "reloaded", "failed"]


@dataclass(frozen=True)
class ToStore:
    """A derived document and where its bytes came from."""

    derived: Derived
    source_url: str | None = None
    source_path: str | None = None


@dataclass(frozen=True)
class Stored:
    """What storing one document did.

    `outcome`: 'new' (first load in its language), 'unchanged' (same bytes and parser
    version as loaded), 'reloaded' (new bytes or parser version: rows rewritten; `before` is
    the report as it was loaded) or 'failed' (`error` says why; nothing of it was written).
    `gate_passed` is the parse's verdict (ledger and gate) for a report written now;
    `warnings` what a resolution's parse could not decide, each naming it (when written).
    """

    symbol: str
    language: str
    outcome: Outcome
    derived: Derived
    before: Report | None = None
    previous_sha256: str | None = None
    gate_passed: bool | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()


def store_derived(
    con: duckdb.DuckDBPyConnection, documents: Sequence[ToStore], *, run_id: str
) -> list[Stored]:
    """Store derived documents; one outcome per document, in order."""
    loaded = LoadedDocuments.read(con).states
    outcomes: dict[int, Stored] = {}
    fresh: dict[tuple[str, str], int] = {}
    for index, item in enumerate(documents):
        derived = item.derived
        if isinstance(derived, DerivedResolution):
            outcomes[index] = _store_resolution(con, item, derived, run_id)
            continue
        if not derived.report.symbols:
            outcomes[index] = Stored(
                "",
                derived.language,
                "failed",
                derived,
                error="the text states no document symbol: give it with --symbol",
            )
            continue
        problem = _unloadable(derived.report)
        key = (derived.symbol, derived.language)
        if problem is not None:
            outcomes[index] = Stored(*key, "failed", derived, error=problem)
        elif key not in loaded and key not in fresh:
            fresh[key] = index
    _store_new_reports(con, documents, list(fresh.values()), run_id, outcomes)
    for index, item in enumerate(documents):
        if index not in outcomes:
            outcomes[index] = _store_loaded_report(con, item, run_id)
    return [outcomes[index] for index in range(len(documents))]


def _unloadable(report: Report) -> str | None:
    """Why a report cannot be loaded (its rows would collide), or None."""
    try:
        check_paragraph_numbers(report)
    except UnloadableDocument as error:
        return str(error)
    return None


def _store_new_reports(
    con: duckdb.DuckDBPyConnection,
    documents: Sequence[ToStore],
    indexes: list[int],
    run_id: str,
    outcomes: dict[int, Stored],
) -> None:
    """Load reports none of which is loaded yet in one batch, then their ledgers and gates."""
    reports = [documents[index] for index in indexes]
    load_new_reports(
        con,
        [
            NewReport(item.derived.report, item.derived.sha256, item.source_url, item.source_path)
            for item in reports
            if isinstance(item.derived, DerivedReport)
        ],
        run_id=run_id,
    )
    for index, item in zip(indexes, reports, strict=True):
        derived = item.derived
        assert isinstance(derived, DerivedReport)
        passed = record_parse(
            con, derived.report, sha256=derived.sha256, gate=derived.gate, run_id=run_id
        )
        outcomes[index] = Stored(
            derived.symbol, derived.language, "new", derived, gate_passed=passed
        )


def _store_loaded_report(con: duckdb.DuckDBPyConnection, item: ToStore, run_id: str) -> Stored:
    """Load a report whose (symbol, language) is already in the warehouse (or earlier in
    this batch): rewritten when its bytes or parser version differ."""
    derived = item.derived
    assert isinstance(derived, DerivedReport)
    key = (derived.symbol, derived.language)
    state = document_state(con, *key)
    before = read_report(con, *key) if state is not None else None
    written = load_report(
        con,
        derived.report,
        run_id=run_id,
        sha256=derived.sha256,
        source_url=item.source_url,
        source_path=item.source_path,
    )
    if not written:
        return Stored(*key, "unchanged", derived, before=before)
    passed = record_parse(
        con, derived.report, sha256=derived.sha256, gate=derived.gate, run_id=run_id
    )
    return Stored(
        *key,
        "reloaded" if before is not None else "new",
        derived,
        before=before,
        previous_sha256=state[0] if state else None,
        gate_passed=passed,
    )


def _store_resolution(
    con: duckdb.DuckDBPyConnection, item: ToStore, derived: DerivedResolution, run_id: str
) -> Stored:
    """Load a resolution's documents row and citations, then its resolution rows
    (paragraphs, the organizations a cooperation title names) whenever those are written."""
    state = document_state(con, derived.symbol, derived.language)
    resolution = derived.resolution
    written = load_document(
        con,
        symbol=derived.symbol,
        language=derived.language,
        kind=derived.kind,
        sha256=derived.sha256,
        parser_version=derived.parser_version,
        run_id=run_id,
        title=resolution.title or None,
        document_date=resolution.adopted,
        symbols=document_symbols(derived.symbol, resolution),
        cites=resolution.cites,
        unresolved=resolution.unknown_cites,
        source_url=item.source_url,
        source_path=item.source_path,
    )
    if not written:
        outcome: Outcome = "unchanged"
    else:
        write_resolution_rows(con, derived, run_id=run_id)
        outcome = "new" if state is None else "reloaded"
    return Stored(
        derived.symbol,
        derived.language,
        outcome,
        derived,
        previous_sha256=state[0] if state else None,
        warnings=derived.mandate.warnings if written else (),
    )
