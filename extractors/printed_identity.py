"""A fetched document must be the one it was asked for: the symbol an edition's running
header prints (else its masthead, for a text, Markdown or DOCX form without running headers)
and the language its text is in, and the symbol a cited resolution's cover prints, are
compared with the symbol and language fetched.

A server (a mirror, a compromised cache) could answer one symbol with another report; the
parser takes the symbol it is given, so that report would be stored, diffed and mailed as
the edition asked for. A corrigendum or addendum of the edition (A/77/277/Corr.1) and a
joint masthead (A/77/277-S/2022/606) are the same document, not a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable

from common.errors import DocumentError, NotASymbol
from extractors.model import Report
from extractors.symbols import edition_of, split_joint_symbol

SYMBOL_HEADER = "running header (document symbol)"
# The languages the parser tells apart by their function words (report_parser._detect_language).
DETECTED_LANGUAGES = frozenset({"fr", "en"})


class WrongDocument(DocumentError):
    """The bytes fetched for a symbol (or a language) are another document's."""


def printed_symbols(report: Report) -> tuple[str, ...]:
    """The symbols the document's running headers print, in order, each once."""
    found: list[str] = []
    for block in report.dropped:
        if block.reason != SYMBOL_HEADER:
            continue
        try:
            symbols = split_joint_symbol(block.text.rstrip(" *"))
        except NotASymbol:
            continue
        found.extend(symbol for symbol in symbols if symbol not in found)
    return tuple(found)


def _family(symbol: str) -> str:
    """The edition a symbol belongs to: itself, or the document it corrects or adds to."""
    try:
        return edition_of(symbol) or symbol
    except NotASymbol:
        return symbol


def _refuse_another_symbol(
    name: str, asked_symbols: tuple[str, ...], printed: tuple[str, ...]
) -> None:
    """Raise WrongDocument naming both when `printed` holds symbols and none of them is one
    asked for, nor a corrigendum or addendum of one (nor the edition of an asked one)."""
    asked = {_family(symbol) for symbol in asked_symbols}
    if printed and not asked & {_family(symbol) for symbol in printed}:
        raise WrongDocument(
            name,
            f"fetched as {'-'.join(asked_symbols)} but it prints {'-'.join(printed)}: "
            "another document, not stored",
        )


def check_printed_identity(
    report: Report,
    *,
    name: str,
    asked_symbols: tuple[str, ...],
    asked_language: str,
    detected_language: str,
    masthead_symbols: Callable[[], tuple[str, ...]] = tuple,
) -> None:
    """Raise WrongDocument naming both symbols (or languages) when the document prints none of
    the symbols asked for (nor a corrigendum or addendum of one), or is in another language.
    The running headers' symbols are compared, else (a form without running headers) those
    `masthead_symbols` reads on its first lines; a document printing no symbol is taken as
    it comes."""
    _refuse_another_symbol(name, asked_symbols, printed_symbols(report) or masthead_symbols())
    if (
        asked_language in DETECTED_LANGUAGES
        and detected_language in DETECTED_LANGUAGES
        and detected_language != asked_language
    ):
        raise WrongDocument(
            name,
            f"fetched in {asked_language!r} but its text is in {detected_language!r}: "
            "another language version, not stored",
        )


def check_cited_identity(printed: str | None, *, name: str, asked: str) -> None:
    """Raise WrongDocument naming both symbols when a cited resolution, decision or statement
    prints (`printed`, as its parser read it) another symbol than the one fetched; a
    corrigendum of it, or a document printing none, is taken."""
    if not printed:
        return
    try:
        printed_parts = split_joint_symbol(printed)
        asked_parts = split_joint_symbol(asked)
    except NotASymbol:
        return
    _refuse_another_symbol(name, asked_parts, printed_parts)
