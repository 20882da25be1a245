"""UN document symbols: parse, normalize and format them in one place.

Every citation, link target, Library record and edition identity goes through here, so that
"S/RES/2538 (2020)", "s/res/2538(2020)" and the undocs.org link to it are one document. The
grammar (organs, bodies, series, suffixes) is data: extractors/enrich/reference/symbol_grammar.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal
from urllib.parse import parse_qs, unquote, urlparse

from common.errors import NotASymbol
from common.ready_patterns import ready_compile
from extractors.symbol_grammar import Grammar, grammar

SymbolKind = Literal[
    "ga_resolution",
    "sc_resolution",
    "presidential_statement",
    "ga_document",
    "sc_document",
    "other",
]

# Hyphen, non-breaking hyphen, figure dash, en/em dashes, minus and their compatibility forms.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u00ad"
_DASH_TABLE = str.maketrans({dash: "-" for dash in _DASHES})
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Symbol:
    """A parsed UN document symbol, segment by segment, in canonical spelling.

    `qualifiers` are the body and series segments after the organ ("C.3", "HRC", "RES",
    "ES-11"); `period` the session (up to three digits) or year segment; `prefix` the number's
    prefix ("L.", "PV."); `dated_year` the year in parentheses of a dated series
    (S/RES/2538(2020)); `suffixes` the revisions, addenda, corrigenda and amendments.
    """

    organ: str
    number: int
    qualifiers: tuple[str, ...] = ()
    period: int | None = None
    prefix: str = ""
    dated_year: int | None = None
    suffixes: tuple[str, ...] = ()
    original: bool = False

    def __post_init__(self) -> None:
        if self.number < 1:
            raise ValueError(f"symbol number must be positive, got {self.number}")

    @property
    def kind(self) -> SymbolKind:
        """The series the pipeline treats apart: GA/SC resolutions and documents, PRSTs."""
        plain = not self.prefix
        if self.organ == "A" and self.qualifiers == ("RES",) and plain:
            return "ga_resolution"
        if self.organ == "S" and self.qualifiers == ("RES",) and plain:
            return "sc_resolution"
        if self.organ == "S" and self.qualifiers == ("PRST",) and plain:
            return "presidential_statement"
        if self.organ == "A" and not self.qualifiers and plain and self.period is not None:
            return "ga_document"
        if self.organ == "S" and not self.qualifiers and plain and self.period is not None:
            return "sc_document"
        return "other"

    @property
    def session(self) -> int | None:
        """The session the period segment or a session body gives (GA 77, ES-10 is None)."""
        if self.period is not None and self.period < 1000:
            return self.period
        return None

    @property
    def year(self) -> int | None:
        """The year the symbol carries: a four-digit period or a dated series' year."""
        if self.dated_year is not None:
            return self.dated_year
        return self.period if self.period is not None and self.period >= 1000 else None

    @property
    def suffix(self) -> str:
        """The suffixes as written after the number ('Add.2/Corr.1'), '' for none."""
        return "/".join(self.suffixes)

    @property
    def base(self) -> Symbol:
        """The document this one belongs to: the same symbol without suffixes nor (OR)."""
        return replace(self, suffixes=(), original=False)

    @property
    def companion(self) -> str | None:
        """'corrigendum', 'addendum', 'revision' or 'amendment' (its last suffix), else None."""
        if not self.suffixes:
            return None
        name = self.suffixes[-1].split(".")[0]
        return grammar().spelled(grammar().suffixes, name + ".").companion or None


def clean_symbol_text(text: str) -> str:
    """Unicode-normalize (NFKC), unify dashes, drop all whitespace and upper-case a symbol."""
    text = unicodedata.normalize("NFKC", text).translate(_DASH_TABLE)
    text = text.replace("\\(", "(").replace("\\)", ")")
    return _WHITESPACE.sub("", text).upper()


def _qualifiers(
    text: str, organ: str, rules: Grammar, original: str
) -> tuple[tuple[str, ...], bool, bool]:
    """Canonical body/series segments; whether one stands for the period (a session body,
    which forbids a period segment) and whether one makes it optional (a periodless one)."""
    canonical: list[str] = []
    has_session = has_periodless = False
    for part in filter(None, text.split("/")):
        found = rules.qualifier(part, organ)
        if found is None:
            raise NotASymbol(original, f"{part!r} is not a body or series under {organ}")
        segment, number = found
        canonical.append(segment.spelling + (str(number) if number is not None else ""))
        has_session = has_session or segment.is_session
        has_periodless = has_periodless or segment.is_periodless
    if len(set(canonical)) != len(canonical):
        raise NotASymbol(original, "a segment is repeated")
    return tuple(canonical), has_session, has_periodless


def parse_symbol(text: str) -> Symbol:
    """Parse one (not joint) symbol, tolerating spaces, dashes, escapes, case and language."""
    rules = grammar()
    cleaned = clean_symbol_text(text)
    match = _symbol_pattern().fullmatch(cleaned)
    if match is None:
        raise NotASymbol(text)
    groups = match.groupdict()
    organ = groups["organ"]
    qualifiers, has_session, has_periodless = _qualifiers(groups["qualifiers"], organ, rules, text)
    period = int(groups["period"]) if groups["period"] else None
    prefix = (
        rules.spelled(rules.item_prefixes, groups["prefix"]).spelling if groups["prefix"] else ""
    )
    dated = any((organ, series) in rules.dated_series for series in qualifiers)
    dated_year = int(groups["year"]) if groups["year"] else None
    periodless = has_periodless or (
        rules.spelled(rules.organs, organ).is_periodless and not qualifiers
    )
    if prefix:
        periodless = (
            periodless or organ in rules.spelled(rules.item_prefixes, prefix).periodless_organs
        )
    problem = _period_problem(
        rules, groups["period"], dated=dated, dated_year=dated_year, session=has_session
    )
    if problem is None and period is None and not (dated or has_session or periodless):
        problem = "no session or year"
    if problem:
        raise NotASymbol(text, problem)
    suffixes = tuple(_suffix(part, rules, text) for part in groups["suffixes"].split("/") if part)
    try:
        return Symbol(
            organ=organ,
            number=int(groups["number"]),
            qualifiers=qualifiers,
            period=period,
            prefix=prefix,
            dated_year=dated_year,
            suffixes=suffixes,
            original=bool(groups["original"]),
        )
    except ValueError as error:
        raise NotASymbol(text, str(error)) from error


def _period_problem(
    rules: Grammar, period_text: str | None, *, dated: bool, dated_year: int | None, session: bool
) -> str | None:
    """What is wrong with a symbol's period segment and dated year, if anything."""
    period = int(period_text) if period_text else None
    if dated != (dated_year is not None):
        return "a year in parentheses belongs to the dated series only"
    if period is not None and (dated or session):
        return "a dated or session symbol takes no period segment"
    for year in (dated_year, period if period is not None and period >= 1000 else None):
        if year is not None and not rules.first_year <= year <= rules.last_year:
            return f"year {year} outside {rules.first_year}-{rules.last_year}"
    is_session = period_text is not None and period is not None and period < 1000
    if is_session and (period < 1 or len(period_text.lstrip("0")) > rules.session_digits):
        return f"session {period} is not a session"
    return None


def _suffix(part: str, rules: Grammar, original: str) -> str:
    name, _, number = part.rpartition(".")
    if int(number) < 1:
        raise NotASymbol(original, f"suffix {part!r} has no positive number")
    return f"{rules.spelled(rules.suffixes, name + '.').spelling}{int(number)}"


def format_symbol(symbol: Symbol) -> str:
    """The canonical spelling of a symbol, e.g. 'S/RES/1809(2008)' or 'A/C.3/78/L.49/Rev.1'."""
    parts = [symbol.organ, *symbol.qualifiers]
    if symbol.period is not None:
        parts.append(str(symbol.period))
    number = f"{symbol.prefix}{symbol.number}"
    if symbol.dated_year is not None:
        number += f"({symbol.dated_year})"
    parts.append(number)
    parts.extend(symbol.suffixes)
    text = "/".join(parts)
    return text + grammar().original_variant if symbol.original else text


@cache
def _symbol_pattern() -> re.Pattern[str]:
    return grammar().pattern


@cache
def _joint_separator() -> re.Pattern[str]:
    organs = "|".join(map(re.escape, grammar().organ_spellings))
    # A dash only separates symbols where a new organ prefix follows it ("ES-10" does not).
    return ready_compile(rf"-(?=(?:{organs})/)")


def split_joint_symbol(text: str) -> tuple[str, ...]:
    """Split a joint symbol like 'A/77/277-S/2022/606' into canonical single symbols."""
    cleaned = clean_symbol_text(text)
    parts = _joint_separator().split(cleaned)
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


def edition_of(symbol: str) -> str | None:
    """The document a corrigendum, addendum, revision or amendment belongs to, else None:
    'A/77/277' for 'A/77/277/Corr.1'."""
    parsed = parse_symbol(split_joint_symbol(symbol)[0])
    return format_symbol(parsed.base) if parsed.suffixes else None


def is_report_symbol(symbol: str) -> bool:
    """True for a plain General Assembly document symbol (A/77/277), the form editions take."""
    parsed = parse_symbol(split_joint_symbol(symbol)[0])
    return parsed.kind == "ga_document" and not parsed.suffixes and not parsed.original


def symbols_from_link(target: str) -> tuple[str, ...]:
    """Canonical symbols named by a link target: an undocs.org URL or a bare symbol.

    Returns () for targets that name no symbol (other URLs, '#', empty).
    """
    text = link_symbol_text(target)
    return split_joint_symbol(text) if text and is_symbol(text) else ()


def link_symbol_text(target: str) -> str:
    """The symbol-shaped text a link target carries (its path or FinalSymbol), unparsed."""
    target = target.strip()
    if not target or target == "#":
        return ""
    if "://" in target or target.lower().startswith(("undocs.org", "www.")):
        parsed = urlparse(target if "://" in target else f"https://{target}")
        final = parse_qs(parsed.query).get("FinalSymbol") or parse_qs(parsed.query).get("symbol")
        path = final[0] if final else unquote(parsed.path)
        path = re.sub(r"^/(?:(?:ar|en|es|fr|ru|zh)/)?", "", path, flags=re.IGNORECASE)
        target = path
    return target


@dataclass(frozen=True)
class SymbolMention:
    """A symbol-shaped run of text: the parts the grammar knows, canonical, and those it does
    not, as printed (spaces dropped), which callers keep as unresolved citations."""

    text: str
    start: int
    symbols: tuple[str, ...]
    unknown: tuple[str, ...]


_DASH_CLASS = "[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
# What a symbol's segments are made of; stops at spaces, punctuation and brackets.
_SEGMENT_RUN = r"[^\s,;:()\[\]{}«»\"'’<>|]+"
_TRAILING = ".-/\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


@cache
def _mention_pattern() -> re.Pattern[str]:
    organs = "|".join(map(re.escape, grammar().organ_spellings))
    single = rf"(?:{organs})/{_SEGMENT_RUN}(?:\s?\(\d{{4}}\))?(?:\(OR\))?"
    return ready_compile(rf"(?<![\w/.]){single}(?:\s*{_DASH_CLASS}\s*{single})*")


def find_symbols(text: str) -> list[SymbolMention]:
    """Every symbol-shaped run in prose, in order: an organ prefix, a slash, a digit somewhere.

    'S/RES/1809 (2008)' and 'A/75/345 – S/2020/898' are one mention each; a run the grammar
    does not know ('A/XYZ/12/3') comes back in `unknown`, never dropped.
    """
    mentions: list[SymbolMention] = []
    if "/" not in text:
        return mentions
    for match in _mention_pattern().finditer(text):
        printed = match.group().rstrip(_TRAILING)
        if not any(char.isdigit() for char in printed):
            continue
        known: list[str] = []
        unknown: list[str] = []
        for part in _joint_separator().split(clean_symbol_text(printed)):
            part = part.rstrip(_TRAILING)
            if not part:
                continue
            try:
                known.append(format_symbol(parse_symbol(part)))
            except NotASymbol:
                unknown.append(part)
        mentions.append(SymbolMention(printed, match.start(), tuple(known), tuple(unknown)))
    return mentions
