"""The one way from a document's bytes to what CoopWatch derives from them.

Every command that turns bytes into rows (the nightly run, `ingest`, `parse`, `reparse`,
`rebuild`) calls `derive_document`: sniff the form, tell a report from a resolution, read,
parse, enrich, and run the text-preservation gate on a report. The same bytes and hints give
the same derived document, whatever the command; `warehouse.load.store_derived.store_derived` stores it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from common.errors import NotAResolution
from extractors.model import Report
from extractors.readers.route import ReadDocument, read_document
from extractors.readers.sniff import detect_form

# The report side (parser, enrichment, gate) and the resolution side (parser, mandates) are
# imported by the path that needs them: a command deriving one document loads one side.
if TYPE_CHECKING:
    from extractors.gate import GateResult
    from extractors.resolution.mandate import Mandate
    from extractors.resolution.resolution_parser import Resolution

DocumentKind = Literal["report", "resolution"]

# What a resolution or a presidential statement prints on its first page (EN and FR).
_RESOLUTION_MASTHEAD = re.compile(
    r"resolution adopted by the|résolution adoptée par l|"
    r"adopted by the security council at its|adoptée par le conseil de sécurité à sa|"
    r"statement by the president of the security council|"
    r"déclaration (?:du président|de la présidente|de la présidence) du conseil de sécurité",
    re.IGNORECASE,
)
_RESOLUTION_SYMBOL = re.compile(r"^\s*(?:[AS]/RES/|S/PRST/)\S+\s*$", re.MULTILINE)
_MASTHEAD_BLOCKS = 12


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
    """Derive a document from its bytes; `symbol` and `language` fill what it does not state.

    `kind` forces the parser; without it, Akoma Ntoso XML, a resolution or statement symbol,
    or a resolution's masthead mean a resolution, anything else a report. `gate=False`
    skips the text-preservation gate, for a caller that shows no verdict and stores nothing
    (`coopwatch parse`); everything that stores runs it. Raises a DocumentError subclass
    naming `name` and the cause.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    form = detect_form(data, name)
    chosen = kind or _kind_from_hints(form, symbol)
    read: ReadDocument | None = None
    if chosen is None:
        read = read_document(data, name=name)
        chosen = "resolution" if looks_like_resolution(read) else "report"
    if chosen == "resolution":
        return _derive_resolution(data, name, symbol, language, sha256, form)
    read = read or read_document(data, name=name)
    return _derive_report(data, name, symbol, language, sha256, read, gate)


def looks_like_resolution(read: ReadDocument) -> bool:
    """True when the first blocks or the running header show a resolution or a statement."""
    if any(
        block.reason.startswith("running header") and _RESOLUTION_SYMBOL.match(block.text)
        for block in read.dropped
    ):
        return True
    head = "\n".join(block.text for block in read.blocks[:_MASTHEAD_BLOCKS])
    return bool(_RESOLUTION_MASTHEAD.search(head) or _RESOLUTION_SYMBOL.search(head))


def _kind_from_hints(form: str, symbol: str | None) -> DocumentKind | None:
    if form == "akn":
        return "resolution"
    if not symbol:
        return None
    from extractors.resolution.resolution_parser import document_kind

    if document_kind(symbol) != "other":
        return "resolution"
    return None


def _derive_report(
    data: bytes,
    name: str,
    symbol: str | None,
    language: str | None,
    sha256: str,
    read: ReadDocument,
    gate: bool,
) -> DerivedReport:
    from extractors.enrich.enrich_report import enrich_report
    from extractors.report.report_parser import parse_read

    report = enrich_report(parse_read(read, name=name, symbol=symbol, language=language))
    if not gate:
        return DerivedReport(report, None, sha256, read.form)
    # Imported here: the gate brings pypdf and rapidfuzz, which `coopwatch parse` never runs.
    from extractors.gate import run_gate

    verdict = run_gate(report, data, name=name)
    return DerivedReport(report, verdict, sha256, read.form)


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
