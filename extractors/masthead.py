"""What a UN document's first page says about the document: its symbols, date and kind.

Every masthead form the UN prints is read here once (a single symbol, two symbols
`A/80/75-E/2025/55`, the 1998 layout with one symbol a line, a reissue star, the Geneva layout,
an Official Records cover), in English and French; the words are data in `masthead.yaml`,
and the month names every parser uses live there too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from common.errors import ReferenceDataError
from common.ready_patterns import ready_compile
from common.yaml_data import load_yaml_mapping
from extractors.symbols import is_symbol, parse_symbol, split_joint_symbol

MASTHEAD_FILE = Path(__file__).with_name("masthead.yaml")
DocumentKind = Literal["report", "resolution"]

# Series whose documents the resolution parser reads (resolutions, decisions, statements).
_DECISION_SERIES = frozenset({"RES", "DEC", "PRST"})
# How far into the first page a symbol line without the publisher's name may sit (the 1998
# layout prints it after the distribution line).
_MASTHEAD_LINES = 40
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009]+")
_APOSTROPHES = str.maketrans({"'": "’", "\u02bc": "’"})


@dataclass(frozen=True)
class Masthead:
    """What a first page states: its symbols (canonical, a two-symbol masthead split), the
    issue date (ISO) and the kind its symbol or its wording shows (None when silent)."""

    symbols: tuple[str, ...] = ()
    date: str | None = None
    kind: DocumentKind | None = None

    @property
    def symbol(self) -> str | None:
        """The symbols as one joint symbol ('A/80/75-E/2025/55'), None when none is printed."""
        return "-".join(self.symbols) or None


@dataclass(frozen=True)
class MastheadWords:
    """The words of `masthead.yaml` and the patterns built on them, compiled once."""

    months: dict[str, int]
    publisher: tuple[str, ...]
    distribution: tuple[str, ...]
    preamble_words_ending_like_verbs: frozenset[str]
    # '15 January 2025', '1er juin 2021' (day, month name, year).
    date_pattern: re.Pattern[str]
    # Any line a resolution or statement prints on its first page.
    resolution_cue: re.Pattern[str]
    # A title a report, or the note or letter carrying one, prints under its masthead.
    report_cue: re.Pattern[str]
    # 'The Security Council,' / 'Le Conseil de sécurité,' alone on its line.
    enacting_formula: re.Pattern[str]
    # 'Decides to remain seized of the matter.' and its French forms, as a whole paragraph.
    closing_paragraph: re.Pattern[str]
    # The French operative verbs a paragraph may open with.
    operative_opener_fr: re.Pattern[str]


def _alternation(phrases: tuple[str, ...]) -> str:
    # Longest first (the first alternative that matches wins); ties by spelling, so the
    # pattern is the same in every process.
    ordered = sorted(
        {fold(phrase) for phrase in phrases}, key=lambda phrase: (-len(phrase), phrase)
    )
    return "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in ordered)


def fold(text: str) -> str:
    """NFC, one straight-looking apostrophe (’), single spaces: how cues and text compare."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip()


def _strings(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key) or ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ReferenceDataError(str(path), None, f"{key}: expected a list of strings")
    return tuple(value)


def load_words(path: Path = MASTHEAD_FILE) -> MastheadWords:
    """Read and check `masthead.yaml`; a malformed file names itself and the cause."""
    data = load_yaml_mapping(path)
    months = data.get("months") or []
    if len(months) != 12 or not all(isinstance(names, list) and names for names in months):
        raise ReferenceDataError(str(path), None, "months: expected twelve lists of names")
    organs = data.get("organs") or []
    if not all(isinstance(organ, dict) and organ.get("en") for organ in organs):
        raise ReferenceDataError(str(path), None, "organs: each entry needs its `en` name")
    month_names = {
        fold(str(name)).lower(): number for number, names in enumerate(months, 1) for name in names
    }
    organs_en = _alternation(tuple(str(organ["en"]) for organ in organs))
    organs_fr = _alternation(tuple(str(n) for organ in organs for n in organ.get("fr") or ()))
    flags = re.IGNORECASE
    return MastheadWords(
        months=month_names,
        publisher=_strings(data, "publisher", path),
        distribution=_strings(data, "distribution", path),
        preamble_words_ending_like_verbs=frozenset(
            word.lower() for word in _strings(data, "preamble_words_ending_like_verbs", path)
        ),
        date_pattern=ready_compile(
            rf"\b(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{_alternation(tuple(month_names))})"
            r"\s+(?P<year>\d{4})\b",
            flags,
        ),
        resolution_cue=ready_compile(
            rf"^\s*(?:{_alternation(_strings(data, 'resolution_cues', path))})",
            flags | re.MULTILINE,
        ),
        report_cue=ready_compile(
            rf"^\s*(?:{_alternation(_strings(data, 'report_cues', path))})", flags | re.MULTILINE
        ),
        enacting_formula=ready_compile(
            rf"^\s*(?:the\s+(?:{organs_en})|{organs_fr})\s*,\s*$", flags | re.MULTILINE
        ),
        closing_paragraph=ready_compile(
            rf"^\s*(?:{_alternation(_strings(data, 'closing_paragraphs', path))})\s*\.?\s*$", flags
        ),
        operative_opener_fr=ready_compile(
            rf"^(?:{_alternation(_strings(data, 'operative_verbs_fr', path))})\b", flags
        ),
    )


@cache
def words() -> MastheadWords:
    """The project's masthead words, read once per process."""
    return load_words()


def month_number(name: str) -> int | None:
    """1-12 for a month name in any language the data knows, else None."""
    return words().months.get(fold(name).lower())


def find_date(text: str) -> str | None:
    """The first valid '15 January 2025' / '1er juin 2021' date in text, as ISO."""
    for match in words().date_pattern.finditer(fold(text)):
        try:
            found = date(
                int(match["year"]), words().months[match["month"].lower()], int(match["day"])
            )
        except ValueError:
            continue
        return found.isoformat()
    return None


def read_masthead(text: str) -> Masthead:
    """Read the masthead from a document's first page (or the head of a text form)."""
    lines = [line for line in (fold(raw) for raw in text.splitlines()) if line]
    symbols = _masthead_symbols(lines)
    return Masthead(symbols=symbols, date=_issue_date(lines), kind=_kind(symbols, "\n".join(lines)))


def _symbol_line(line: str) -> tuple[str, ...] | None:
    """The symbols of a line that is nothing but a (possibly joint, possibly starred) symbol,
    after the publisher's name."""
    for publisher in words().publisher:
        if line.lower().startswith(publisher.lower() + " "):
            line = line[len(publisher) :].strip()
            break
    line = line.rstrip("* ").strip()
    if "/" not in line or not is_symbol(line):
        return None
    return split_joint_symbol(line)


def _masthead_symbols(lines: list[str]) -> tuple[str, ...]:
    """The first run of symbol-only lines: the one after the publisher's name anywhere on
    the page (a PDF may give its masthead last), else one near the top."""
    publisher = tuple(p.lower() + " " for p in words().publisher)
    starts = [i for i, line in enumerate(lines) if line.lower().startswith(publisher)]
    starts += [i for i in range(min(len(lines), _MASTHEAD_LINES)) if i not in starts]
    for start in starts:
        found = _symbol_line(lines[start])
        if found is None:
            continue
        symbols = list(found)
        for line in lines[start + 1 :]:
            more = _symbol_line(line)
            if more is None:
                break
            symbols.extend(more)
        return tuple(dict.fromkeys(symbols))
    return ()


def _issue_date(lines: list[str]) -> str | None:
    """The date on the distribution line (within the few words after 'Distr.'), else a date
    printed alone in brackets (an Official Records volume: '[18 July 2025]')."""
    text = " ".join(lines)
    for cue in words().distribution:
        for match in re.finditer(re.escape(cue), text, re.IGNORECASE):
            found = find_date(text[match.end() : match.end() + 80])
            if found:
                return found
    for line in lines:
        if line.startswith("[") and line.endswith("]"):
            found = find_date(line)
            if found:
                return found
    return None


def _kind(symbols: tuple[str, ...], text: str) -> DocumentKind | None:
    """A resolution when the masthead symbol is one (or, with no symbol, the wording says so)."""
    if symbols:
        series = set(parse_symbol(symbols[0]).qualifiers)
        return "resolution" if series & _DECISION_SERIES else "report"
    if words().resolution_cue.search(text) or words().enacting_formula.search(text):
        return "resolution"
    if words().report_cue.search(text):
        return "report"
    return None


def opens_operative(text: str) -> bool:
    """True when an unnumbered paragraph opens the way operative paragraphs do ('Decides',
    'Calls upon', 'Décide'), not the way preambular ones do ('Recalling', 'Deeply concerned')."""
    text = fold(text)
    if words().operative_opener_fr.match(text):
        return True
    first = re.match(r"[A-Z][a-z]+", text)
    if first is None:
        return False
    word = first.group().lower()
    return (
        word.endswith("s")
        and not word.endswith(("ous", "ss"))
        and word not in words().preamble_words_ending_like_verbs
    )
