"""UN document symbols: parse, normalize and format them in one place.

Every citation, link target and edition identity goes through here, so that
"S/RES/2538 (2020)", "s/res/2538(2020)" and the undocs.org link to it are one document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, unquote, urlparse

from extractors.errors import NotASymbol

SymbolKind = Literal[
    "ga_resolution", "sc_resolution", "presidential_statement", "ga_document", "sc_document"
]
SYMBOL_KINDS: tuple[SymbolKind, ...] = (
    "ga_resolution",
    "sc_resolution",
    "presidential_statement",
    "ga_document",
    "sc_document",
)

# Hyphen, non-breaking hyphen, figure dash, en/em dashes, minus and their compatibility forms.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
_DASH_TABLE = str.maketrans({dash: "-" for dash in _DASHES})
_WHITESPACE = re.compile(r"\s+")
_SUFFIX = r"(?:/(?P<suffix_kind>ADD|REV|CORR)\.(?P<suffix_number>\d{1,3}))?"
_PATTERNS: tuple[tuple[SymbolKind, re.Pattern[str]], ...] = (
    ("ga_resolution", re.compile(r"A/RES/(?P<session>\d{1,3})/(?P<number>\d{1,4})")),
    ("sc_resolution", re.compile(r"S/RES/(?P<number>\d{1,4})\((?P<year>\d{4})\)")),
    ("presidential_statement", re.compile(r"S/PRST/(?P<year>\d{4})/(?P<number>\d{1,3})")),
    ("ga_document", re.compile(r"A/(?P<session>\d{1,3})/(?P<number>\d{1,4})" + _SUFFIX)),
    ("sc_document", re.compile(r"S/(?P<year>\d{4})/(?P<number>\d{1,4})" + _SUFFIX)),
)
_SUFFIX_NAMES = {"ADD": "Add", "REV": "Rev", "CORR": "Corr"}
_FIRST_YEAR = 1946
_LAST_YEAR = 2099


@dataclass(frozen=True)
class Symbol:
    """A parsed UN document symbol.

    `session` is the General Assembly session (GA kinds), `year` the Security Council
    year (SC kinds); `suffix` is an addendum, revision or corrigendum such as "Add.1".
    """

    kind: SymbolKind
    number: int
    year: int | None = None
    session: int | None = None
    suffix: str = ""

    def __post_init__(self) -> None:
        if self.kind not in SYMBOL_KINDS:
            raise ValueError(f"unknown symbol kind {self.kind!r}")
        if self.number < 1:
            raise ValueError(f"symbol number must be positive, got {self.number}")
        needs_session = self.kind in ("ga_resolution", "ga_document")
        if needs_session and (self.session is None or self.session < 1 or self.year is not None):
            raise ValueError(f"{self.kind} needs a positive session and no year")
        if not needs_session and (
            self.year is None or not _FIRST_YEAR <= self.year <= _LAST_YEAR or self.session
        ):
            raise ValueError(f"{self.kind} needs a year in {_FIRST_YEAR}-{_LAST_YEAR}")
        if self.suffix and self.kind not in ("ga_document", "sc_document"):
            raise ValueError(f"{self.kind} takes no suffix")
        if self.suffix and not re.fullmatch(r"(Add|Rev|Corr)\.[1-9]\d{0,2}", self.suffix):
            raise ValueError(f"bad suffix {self.suffix!r}")


def clean_symbol_text(text: str) -> str:
    """Unicode-normalize, unify dashes, drop all whitespace and upper-case a symbol string."""
    text = unicodedata.normalize("NFKC", text).translate(_DASH_TABLE)
    text = text.replace("\\(", "(").replace("\\)", ")")
    return _WHITESPACE.sub("", text).upper()


def parse_symbol(text: str) -> Symbol:
    """Parse one (not joint) symbol, tolerating spaces, dashes, escapes and case."""
    cleaned = clean_symbol_text(text)
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        groups = match.groupdict()
        suffix = ""
        if groups.get("suffix_kind"):
            suffix = f"{_SUFFIX_NAMES[groups['suffix_kind']]}.{int(groups['suffix_number'])}"
        try:
            return Symbol(
                kind=kind,
                number=int(groups["number"]),
                year=int(groups["year"]) if groups.get("year") else None,
                session=int(groups["session"]) if groups.get("session") else None,
                suffix=suffix,
            )
        except ValueError as error:
            raise NotASymbol(text, str(error)) from error
    raise NotASymbol(text)


def format_symbol(symbol: Symbol) -> str:
    """The canonical spelling of a symbol, e.g. 'S/RES/1809(2008)' or 'A/RES/58/316'."""
    suffix = f"/{symbol.suffix}" if symbol.suffix else ""
    if symbol.kind == "ga_resolution":
        return f"A/RES/{symbol.session}/{symbol.number}"
    if symbol.kind == "sc_resolution":
        return f"S/RES/{symbol.number}({symbol.year})"
    if symbol.kind == "presidential_statement":
        return f"S/PRST/{symbol.year}/{symbol.number}"
    if symbol.kind == "ga_document":
        return f"A/{symbol.session}/{symbol.number}{suffix}"
    return f"S/{symbol.year}/{symbol.number}{suffix}"


def split_joint_symbol(text: str) -> tuple[str, ...]:
    """Split a joint symbol like 'A/77/277-S/2022/606' into canonical single symbols."""
    cleaned = clean_symbol_text(text)
    # A dash only separates symbols where a new organ prefix follows it.
    parts = re.split(r"-(?=[AS]/)", cleaned)
    if not cleaned or any(not part for part in parts):
        raise NotASymbol(text)
    try:
        return tuple(format_symbol(parse_symbol(part)) for part in parts)
    except NotASymbol as error:
        raise NotASymbol(text, error.cause) from error


def normalize_symbol(text: str) -> str:
    """Canonical spelling of a single or joint symbol (joint parts joined by '-')."""
    return "-".join(split_joint_symbol(text))


def is_symbol(text: str) -> bool:
    """True when the text is a single or joint symbol that `normalize_symbol` accepts."""
    try:
        split_joint_symbol(text)
    except NotASymbol:
        return False
    return True


def symbols_from_link(target: str) -> tuple[str, ...]:
    """Canonical symbols named by a link target: an undocs.org URL or a bare symbol.

    Returns () for targets that name no symbol (other URLs, '#', empty).
    """
    target = target.strip()
    if not target or target == "#":
        return ()
    if "://" in target or target.lower().startswith(("undocs.org", "www.")):
        parsed = urlparse(target if "://" in target else f"https://{target}")
        final = parse_qs(parsed.query).get("FinalSymbol") or parse_qs(parsed.query).get("symbol")
        path = final[0] if final else unquote(parsed.path)
        path = re.sub(r"^/(?:(?:ar|en|es|fr|ru|zh)/)?", "", path, flags=re.IGNORECASE)
        target = path
    return split_joint_symbol(target) if is_symbol(target) else ()
