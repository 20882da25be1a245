"""Citations of UN documents in report text and link targets, as canonical symbols.

Prose says "résolution 1809 (2008) du Conseil de sécurité", "sa résolution 75/1",
"Security Council resolutions 2524 (2020) and 2579 (2021)" or writes a symbol outright
("S/PRST/2013/12", "A/75/345-S/2020/898"); links are undocs.org URLs or, in converted
Markdown, bare link texts such as "58/316". All end up as symbols from extractors.symbols;
a symbol-shaped text its grammar does not know is kept apart, as printed, by the
`unknown_*` functions, so no citation is lost without a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from common.errors import NotASymbol
from extractors.symbols import (
    SymbolMention,
    find_symbols,
    link_symbol_text,
    normalize_symbol,
    symbols_from_link,
)

# A resolution number without its organ prefix: GA "75/1", SC "1809 (2008)".
_REF = r"(?:\d{1,3}/\d{1,4}(?![\d/])|\d{1,4}\s?\(\d{4}\))"
_REF_LIST = re.compile(
    r"(?<!\w)(?:résolutions?|resolutions?)\s+"
    r"(?P<refs>" + _REF + r"(?:\s*(?:,|\bet\b|\band\b|\bainsi que\b)\s*" + _REF + r")*)",
    re.IGNORECASE,
)
_ONE_REF = re.compile(r"(?<![\d/])" + _REF)
_GA_REF = re.compile(r"(\d{1,3})/(\d{1,4})")
_SC_REF = re.compile(r"(\d{1,4})\s?\((\d{4})\)")
# Bodies whose resolutions share the General Assembly's "session/number" form but not its
# symbol series, so "résolution 47/1 du Conseil des droits de l'homme" is not A/RES/47/1.
_OTHER_ORGAN = re.compile(
    r"Conseil des droits de l['’]homme|Human Rights Council|Conseil économique et social"
    r"|Economic and Social Council|Assemblée mondiale de la Santé|World Health Assembly"
    r"|Conférence générale|General Conference|Conseil d['’]administration|Executive Board",
    re.IGNORECASE,
)
_CONTEXT_AFTER = 70
_CONTEXT_BEFORE = 40


def citations_in_text(text: str) -> tuple[str, ...]:
    """Canonical symbols cited in `text`, distinct, in order of first appearance."""
    text = _strip_markdown_links(text)
    found: list[str] = []
    for mention in _symbol_mentions(text):
        found.extend(mention.symbols)
    for match in _REF_LIST.finditer(text):
        before = text[max(0, match.start() - _CONTEXT_BEFORE) : match.start()]
        after = _clause_after(text, match.end())
        for ref in _ONE_REF.finditer(match.group("refs")):
            symbol = resolve_reference(ref.group(), before, after)
            if symbol:
                found.append(symbol)
    return tuple(dict.fromkeys(found))


def unknown_symbols_in_text(text: str) -> tuple[str, ...]:
    """Symbol-shaped texts (an organ prefix, a slash, a number) the grammar does not know,
    distinct, in order: kept as unresolved citations, never fetched."""
    text = _strip_markdown_links(text)
    found = [part for mention in _symbol_mentions(text) for part in mention.unknown]
    return tuple(dict.fromkeys(found))


def unknown_symbols_in_links(links: Iterable[str]) -> tuple[str, ...]:
    """Link targets naming a symbol-shaped text the grammar does not know ('undocs.org/en/
    A/XYZ/1'), as printed, distinct, in order."""
    found: list[str] = []
    for link in links:
        if _link_symbols(link):
            continue
        found.extend(unknown_symbols_in_text(link_symbol_text(link)))
    return tuple(dict.fromkeys(found))


def citations_in_links(links: Iterable[str], text: str = "") -> tuple[str, ...]:
    """Canonical symbols named by link targets; a bare link text ("58/316", "1809 (2008)")
    is resolved with the sentence of `text` it appears in."""
    found: list[str] = []
    for link in links:
        symbols = _link_symbols(link)
        if symbols:
            found.extend(symbols)
            continue
        if _ONE_REF.fullmatch(link.strip()):
            position = text.find(link.strip())
            before = text[max(0, position - _CONTEXT_BEFORE) : position] if position >= 0 else ""
            after = _clause_after(text, position + len(link.strip())) if position >= 0 else ""
            symbol = resolve_reference(link.strip(), before, after)
            if symbol:
                found.append(symbol)
    return tuple(dict.fromkeys(found))


def resolve_reference(ref: str, before: str = "", after: str = "") -> str | None:
    """The symbol of a resolution number written without its organ, or None.

    The number's form gives the series ("75/1" is a General Assembly resolution,
    "1809 (2008)" a Security Council one); the sentence around it vetoes the GA reading
    when it names another body that numbers its resolutions the same way.
    """
    sc = _SC_REF.fullmatch(ref.strip())
    if sc:
        return _canonical(f"S/RES/{sc.group(1)}({sc.group(2)})")
    ga = _GA_REF.fullmatch(ref.strip())
    if ga:
        if _OTHER_ORGAN.search(after) or _OTHER_ORGAN.search(before.split(".")[-1]):
            return None
        return _canonical(f"A/RES/{ga.group(1)}/{ga.group(2)}")
    return None


# A paragraph's known and unknown citations are read from the same symbol mentions and link
# targets: each is found once (the texts are immutable, the results tuples of frozen values).
@lru_cache(maxsize=256)
def _symbol_mentions(text: str) -> tuple[SymbolMention, ...]:
    return tuple(find_symbols(text))


@lru_cache(maxsize=1024)
def _link_symbols(link: str) -> tuple[str, ...]:
    return symbols_from_link(link)


def _canonical(text: str) -> str | None:
    try:
        return normalize_symbol(text)
    except NotASymbol:
        return None


def _clause_after(text: str, position: int) -> str:
    """The words after a reference up to the end of its clause (organ names follow there)."""
    window = text[position : position + _CONTEXT_AFTER]
    return re.split(r"[.;]\s|,\s(?!et\b)", window, maxsplit=1)[0]


def _strip_markdown_links(text: str) -> str:
    text = text.replace("\\(", "(").replace("\\)", ")")
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
