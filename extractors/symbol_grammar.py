"""The UN symbol grammar read from extractors/enrich/reference/symbol_grammar.yaml, checked once.

Organ prefixes, body and series segments, number prefixes and suffixes are data reviewed like
code; this module turns them into the one pattern `extractors.symbols` matches symbols with,
so a new committee or series is a line of YAML, never a new branch in a parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from common.errors import ReferenceDataError
from common.ready_patterns import ready_compile
from common.yaml_data import load_yaml_mapping

GRAMMAR_FILE = Path(__file__).parent / "enrich" / "reference" / "symbol_grammar.yaml"
# libyaml's loader where built: the pure-Python one reads this file ten times slower (8 ms).


@dataclass(frozen=True)
class Segment:
    """One spelling the grammar knows: an organ, body, series, number prefix or suffix.

    `spelling` is canonical; `aliases` are other languages' spellings of it. A numbered
    segment carries a number in `low`..`high` right after its spelling (C.3, ES-10).
    """

    spelling: str
    name: str = ""
    aliases: tuple[str, ...] = ()
    numbered: bool = False
    low: int = 1
    high: int = 999
    organs: tuple[str, ...] = ()
    is_session: bool = False
    is_periodless: bool = False
    kind: str = ""
    companion: str = ""
    periodless_organs: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """The upper-case spellings a cleaned symbol may show for this segment."""
        return tuple(dict.fromkeys(s.upper() for s in (self.spelling, *self.aliases)))


@dataclass(frozen=True)
class Grammar:
    """The whole grammar, with the compiled pattern of one (not joint) cleaned symbol."""

    organs: tuple[Segment, ...]
    bodies: tuple[Segment, ...]
    series: tuple[Segment, ...]
    item_prefixes: tuple[Segment, ...]
    suffixes: tuple[Segment, ...]
    dated_series: frozenset[tuple[str, str]]
    original_variant: str
    session_digits: int
    first_year: int
    last_year: int
    number_digits: int
    suffix_digits: int

    @property
    def organ_spellings(self) -> tuple[str, ...]:
        """Organ prefixes, longest first (so 'ST' is tried before 'S')."""
        return tuple(sorted((o.spelling for o in self.organs), key=len, reverse=True))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The pattern of one cleaned (upper-case, spaceless) symbol; see the YAML header."""
        return _compile(self)

    def qualifier(self, text: str, organ: str) -> tuple[Segment, int | None] | None:
        """The body or series segment `text` spells under `organ`, with its number."""
        for segment in (*self.bodies, *self.series):
            if segment.organs and organ not in segment.organs:
                continue
            for key in segment.keys:
                if not text.startswith(key):
                    continue
                rest = text[len(key) :]
                if segment.numbered and rest.isdigit() and segment.low <= int(rest) <= segment.high:
                    return segment, int(rest)
                if not segment.numbered and not rest:
                    return segment, None
        return None

    def spelled(self, segments: tuple[Segment, ...], key: str) -> Segment:
        """The segment among `segments` one of whose spellings is `key` (upper case)."""
        return next(segment for segment in segments if key.upper() in segment.keys)


def _alternation(segments: tuple[Segment, ...], *, numbered: bool = False) -> str:
    # Longest first, ties by spelling: the same pattern in every process.
    keys = sorted(
        {key for segment in segments for key in segment.keys}, key=lambda key: (-len(key), key)
    )
    body = "|".join(re.escape(key) for key in keys)
    return f"(?:{body})" + (r"\d{0,3}" if numbered else "")


@lru_cache(maxsize=4)
def _compile(grammar: Grammar) -> re.Pattern[str]:
    qualifier = _alternation(grammar.bodies + grammar.series, numbered=True)
    suffix = _alternation(grammar.suffixes)
    return ready_compile(
        rf"(?P<organ>{'|'.join(map(re.escape, grammar.organ_spellings))})"
        rf"(?P<qualifiers>(?:/{qualifier})*)"
        rf"(?:/(?P<period>\d{{1,4}}))?"
        rf"/(?P<prefix>{_alternation(grammar.item_prefixes)})?(?P<number>\d{{1,{grammar.number_digits}}})"
        r"(?:\((?P<year>\d{4})\))?"
        rf"(?P<suffixes>(?:/{suffix}\d{{1,{grammar.suffix_digits}}})*)"
        rf"(?P<original>{re.escape(grammar.original_variant.upper())})?"
    )


def _segment(entry: Any, path: Path, section: str) -> Segment:
    if not isinstance(entry, dict) or not entry.get("spelling"):
        raise ReferenceDataError(str(path), None, f"{section}: entry without spelling: {entry!r}")
    return Segment(
        spelling=str(entry["spelling"]),
        name=str(entry.get("name", "")),
        aliases=tuple(str(alias) for alias in entry.get("aliases") or ()),
        numbered=bool(entry.get("numbered", False)),
        low=int(entry.get("min", 1)),
        high=int(entry.get("max", 999)),
        organs=tuple(str(organ) for organ in entry.get("organs") or ()),
        is_session=bool(entry.get("session", False)),
        is_periodless=bool(entry.get("periodless", False)),
        kind=str(entry.get("kind", "")),
        companion=str(entry.get("companion", "")),
        periodless_organs=tuple(str(organ) for organ in entry.get("periodless_organs") or ()),
    )


def _check(grammar: Grammar, path: Path) -> None:
    """Refuse a grammar whose spellings would make one symbol mean two things."""
    organs = set(grammar.organ_spellings)
    for segment in grammar.bodies + grammar.series:
        unknown = set(segment.organs) - organs
        if unknown:
            raise ReferenceDataError(
                str(path), None, f"{segment.spelling!r} names unknown organ(s) {sorted(unknown)}"
            )
    seen: dict[tuple[str, str, bool], Segment] = {}
    for segment in grammar.bodies + grammar.series:
        for organ in segment.organs or tuple(organs):
            for key in segment.keys:
                other = seen.setdefault((organ, key, segment.numbered), segment)
                if other is not segment:
                    raise ReferenceDataError(
                        str(path), None, f"{key!r} under {organ} is spelled by two segments"
                    )
    for organ, series in grammar.dated_series:
        if organ not in organs or series not in {s.spelling for s in grammar.series}:
            raise ReferenceDataError(str(path), None, f"dated series {organ}/{series} unknown")


def load_grammar(path: Path = GRAMMAR_FILE) -> Grammar:
    """Read and check the grammar file; a malformed one names the file and the cause."""
    data = load_yaml_mapping(path)
    sections = {
        name: tuple(_segment(entry, path, name) for entry in data.get(name) or ())
        for name in ("organs", "bodies", "series", "item_prefixes", "suffixes")
    }
    periods = data.get("periods") or {}
    grammar = Grammar(
        **sections,
        dated_series=frozenset(
            (str(entry["organ"]), str(entry["series"])) for entry in data.get("dated_series") or ()
        ),
        original_variant=str(data.get("original_variant", "(OR)")),
        session_digits=int(periods.get("session_digits", 3)),
        first_year=int(periods.get("first_year", 1946)),
        last_year=int(periods.get("last_year", 2099)),
        number_digits=int(periods.get("number_digits", 5)),
        suffix_digits=int(periods.get("suffix_digits", 3)),
    )
    _check(grammar, path)
    return grammar


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The project's grammar, read once per process."""
    return load_grammar()
