"""The one way from a document's bytes to what CoopWatch derives from them.

Every command that turns bytes into rows (the nightly run, `ingest`, `parse`, `reparse`,
`rebuild`) calls `derive_document`: sniff the form, tell a report from a resolution, read,
parse, enrich, and run the text-preservation gate on a report. The same bytes and hints give
the same derived document, whatever the command; `warehouse.load.store_derived.store_derived` stores it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from common.errors import NotAReport, NotAResolution
from extractors.masthead import DocumentKind, Masthead, read_masthead
from extractors.model import Report
from extractors.readers.route import read_document
from extractors.readers.sniff import detect_form, first_page_text

# The report side (parser, enrichment, gate) and the resolution side (parser, mandates) are
# imported by the path that needs them: a command deriving one document loads one side.
if TYPE_CHECKING:
    from extractors.gate import GateResult
    from extractors.resolution.mandate import Mandate
    from extractors.resolution.resolution_parser import Resolution


@dataclass(frozen=True)
class DerivedReport:
    """A report edition derived from its bytes: the enriched parse and the gate's verdict."""

    report: Report
    gate: GateResult | None
    sha256: str
    form: str

    @property
    def symbol(self) -> str:
        """The edition's first symbol (an error when the text states none and none was given)."""
        return self.report.symbol

    @property
    def language(self) -> str:
        """The language given, else detected from the text."""
        return self.report.language

    @property
    def parser_version(self) -> str:
        """The report parser's version, written on every derived row."""
        return self.report.parser_version


@dataclass(frozen=True)
class DerivedResolution:
    """A resolution or presidential statement derived from its bytes, with what it asks of
    the next report when it is a cooperation resolution (`mandate`)."""

    resolution: Resolution
    symbol: str
    language: str
    kind: str
    sha256: str
    form: str
    mandate: Mandate

    @property
    def parser_version(self) -> str:
        """The resolution parser's version, written on the document's row."""
        from extractors.resolution.resolution_parser import PARSER_VERSION

        return PARSER_VERSION


Derived = DerivedReport | DerivedResolution


def derive_document(
    data: bytes,
    *,
    name: str,
    symbol: str | None = None,
    language: str | None = None,
    kind: DocumentKind | None = None,
    gate: bool = True,
) -> Derived:
    """Derive a document from its bytes; `symbol`, `language` and `kind` fill only what it
    does not state.

    The document says what it is: Akoma Ntoso XML is a resolution; otherwise its first page
    (`read_masthead`) shows a report or a resolution by its masthead symbol or its wording.
    `kind` (what the caller fetched it as) decides only for a document that shows neither,
    else a report; a document that shows the other kind is an error naming it. `gate=False`
    skips the text-preservation gate, for a caller that shows no verdict and stores nothing
    (`coopwatch parse`); everything that stores runs it. Raises a DocumentError subclass
    naming `name` and the cause.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    form = detect_form(data, name)
    masthead = Masthead(kind="resolution") if form == "akn" else read_masthead_of(data, form)
    chosen = masthead.kind or kind or "report"
    if kind is not None and chosen != kind:
        shown = f" ({masthead.symbol})" if masthead.symbol else ""
        error = NotAReport if kind == "report" else NotAResolution
        raise error(name, f"its first page shows a {chosen}{shown}, not a {kind}")
    if chosen == "resolution":
        return _derive_resolution(data, name, symbol, language, sha256, form)
    return _derive_report(data, name, symbol, language, sha256, masthead, gate)


def read_masthead_of(data: bytes, form: str) -> Masthead:
    """The masthead of a document in a form a reader reads (empty when it shows none)."""
    return read_masthead(first_page_text(data, form))


def _derive_report(
    data: bytes,
    name: str,
    symbol: str | None,
    language: str | None,
    sha256: str,
    masthead: Masthead,
    gate: bool,
) -> DerivedReport:
    """Read and parse a report; the masthead gives the symbols the caller did not and the
    issue date its distribution line prints."""
    from extractors.enrich.enrich_report import enrich_report
    from extractors.report.report_parser import parse_read

    read = read_document(data, name=name)
    parsed = parse_read(read, name=name, symbol=symbol or masthead.symbol, language=language)
    if masthead.date and masthead.date != parsed.date:
        parsed = replace(parsed, date=masthead.date)
    report = enrich_report(parsed)
    if not gate:
        return DerivedReport(report, None, sha256, read.form)
    # Imported here: the gate brings pypdf and rapidfuzz, which `coopwatch parse` never runs.
    from extractors.gate import run_gate

    return DerivedReport(report, run_gate(report, data, name=name), sha256, read.form)


def _derive_resolution(
    data: bytes,
    name: str,
    symbol: str | None,
    language: str | None,
    sha256: str,
    form: str,
) -> DerivedResolution:
    from extractors.resolution.mandate import read_mandate
    from extractors.resolution.resolution_parser import document_kind, parse_resolution_bytes

    resolution = parse_resolution_bytes(data, name=name, symbol=symbol, language=language)
    found_symbol = symbol or resolution.symbol
    found_language = language or resolution.language
    if not found_symbol:
        raise NotAResolution(name, "no symbol in the document: give it with --symbol")
    if not found_language:
        raise NotAResolution(name, "no language stated in the document: give it with --lang")
    return DerivedResolution(
        resolution=resolution,
        symbol=found_symbol,
        language=found_language,
        kind=document_kind(found_symbol),
        sha256=sha256,
        form=form,
        mandate=read_mandate(resolution, symbol=found_symbol, language=found_language),
    )
