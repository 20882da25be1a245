"""What a cooperation resolution asks of the next report: the organizations its title names
(through the same names and aliases as report headings), the session it asks the report for
and the operative paragraph that asks. Pure: a parsed `Resolution` in, a `Mandate` out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from common.errors import NotASymbol, ReferenceDataError
from common.yaml_data import load_yaml_mapping
from extractors.normalize import fold
from extractors.resolution.resolution_parser import Resolution
from extractors.symbols import split_joint_symbol

# The matcher and the reference data are imported by what needs them: most resolutions
# (all but the cooperation ones) are no mandate and never name an organization.
if TYPE_CHECKING:
    from extractors.enrich.reference_data import ReferenceData

MANDATES_FILE = Path(__file__).resolve().with_name("mandates.yaml")

# Cardinal values of the words an ordinal session number is built from (EN and FR, 1-99):
# "seventy-ninth" is 70 + 9, "soixante-dix-neuvième" 60 + 10 + 9, "quatre-vingt-unième" 80 + 1.
_NUMBER_WORDS = {
    **dict.fromkeys(("one", "first", "un", "une", "unieme", "premiere", "premier"), 1),
    **dict.fromkeys(("two", "second", "deux", "deuxieme"), 2),
    **dict.fromkeys(("three", "third", "trois", "troisieme"), 3),
    **dict.fromkeys(("four", "fourth", "quatre", "quatrieme"), 4),
    **dict.fromkeys(("five", "fifth", "cinq", "cinquieme"), 5),
    **dict.fromkeys(("six", "sixth", "sixieme"), 6),
    **dict.fromkeys(("seven", "seventh", "sept", "septieme"), 7),
    **dict.fromkeys(("eight", "eighth", "huit", "huitieme"), 8),
    **dict.fromkeys(("nine", "ninth", "neuf", "neuvieme"), 9),
    **dict.fromkeys(("ten", "tenth", "dix", "dixieme"), 10),
    **dict.fromkeys(("eleventh", "onze", "onzieme"), 11),
    **dict.fromkeys(("twelfth", "douze", "douzieme"), 12),
    **dict.fromkeys(("thirteenth", "treize", "treizieme"), 13),
    **dict.fromkeys(("fourteenth", "quatorze", "quatorzieme"), 14),
    **dict.fromkeys(("fifteenth", "quinze", "quinzieme"), 15),
    **dict.fromkeys(("sixteenth", "seize", "seizieme"), 16),
    **dict.fromkeys(("seventeenth",), 17),
    **dict.fromkeys(("eighteenth",), 18),
    **dict.fromkeys(("nineteenth",), 19),
    **dict.fromkeys(("twenty", "twentieth", "vingt", "vingtieme"), 20),
    **dict.fromkeys(("thirty", "thirtieth", "trente", "trentieme"), 30),
    **dict.fromkeys(("forty", "fortieth", "quarante", "quarantieme"), 40),
    **dict.fromkeys(("fifty", "fiftieth", "cinquante", "cinquantieme"), 50),
    **dict.fromkeys(("sixty", "sixtieth", "soixante", "soixantieme"), 60),
    **dict.fromkeys(("seventy", "seventieth"), 70),
    **dict.fromkeys(("eighty", "eightieth"), 80),
    **dict.fromkeys(("ninety", "ninetieth"), 90),
}
_ORDINAL_SESSION = re.compile(
    r"\b(?P<words>[a-z]+(?:(?: |-|\s+et\s+)[a-z]+){0,3})\s+session\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Mandate:
    """A resolution read as a mandate: `is_cooperation` when its title is a cooperation
    title; `organization_ids` the organizations that title names (empty when none is known,
    which `warnings` then says); `cites_edition` the first edition of the report it cites,
    by its first symbol (a cited symbol that is no edition stays a citation only);
    `requested_session` and `request_paragraph` where stated."""

    is_cooperation: bool
    organization_ids: tuple[str, ...] = ()
    cites_edition: str | None = None
    requested_session: int | None = None
    request_paragraph: int | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MandatePhrases:
    """The phrases of mandates.yaml, folded, per language."""

    cooperation_titles: dict[str, tuple[str, ...]]
    request_cues: dict[str, tuple[str, ...]]
    report_words: dict[str, tuple[str, ...]]


@cache
def mandate_phrases(path: Path = MANDATES_FILE) -> MandatePhrases:
    """Read mandates.yaml once; a missing or malformed key is an error naming the file."""
    raw = load_yaml_mapping(path)
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for key in ("cooperation_titles", "request_cues", "report_words"):
        per_language = raw.get(key)
        if not isinstance(per_language, dict) or not per_language:
            raise ReferenceDataError(str(path), None, f"{key}: expected phrases per language")
        found[key] = {
            str(language): tuple(fold(str(phrase)) for phrase in phrases or ())
            for language, phrases in per_language.items()
        }
    return MandatePhrases(**found)


def session_number(words: str) -> int | None:
    """The number an ordinal in words spells ('seventy-ninth', 'soixante-dix-neuvième')."""
    tokens = _plain(words).replace("-", " ").split()
    tokens = [token for token in tokens if token != "et"]
    if not tokens or any(token not in _NUMBER_WORDS and token != "vingts" for token in tokens):
        return None
    total = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "quatre" and index + 1 < len(tokens) and tokens[index + 1].startswith("vingt"):
            total += 80
            index += 2
            continue
        total += _NUMBER_WORDS.get(token, 20)
        index += 1
    return total


def requested_session(text: str) -> int | None:
    """The session an operative paragraph names by its ordinal ('at its seventy-ninth
    session'); the last words before 'session' that spell a number."""
    for match in _ORDINAL_SESSION.finditer(_plain(text)):
        words = match["words"].split()
        # The ordinal is the tail of the words before "session": try the longest tail first.
        for start in range(len(words)):
            number = session_number(" ".join(words[start:]))
            if number is not None:
                return number
    return None


def read_mandate(
    resolution: Resolution,
    *,
    symbol: str,
    language: str,
    reference: ReferenceData | None = None,
    phrases: MandatePhrases | None = None,
) -> Mandate:
    """Read `resolution` as a mandate; a resolution whose title is no cooperation title is
    no mandate (`is_cooperation` False, nothing else read)."""
    phrases = phrases or mandate_phrases()
    title = fold(resolution.title)
    titles = _for(phrases.cooperation_titles, language)
    if not any(title.startswith(prefix) for prefix in titles):
        return Mandate(is_cooperation=False)
    from extractors.enrich.matchers import matcher_for
    from extractors.enrich.reference_data import load_reference

    matcher = matcher_for(reference or load_reference(), language)
    organizations = matcher.heading_organizations(resolution.title)
    warnings = ()
    if not organizations:
        warnings = (
            f"{symbol} ({language}): the title “{resolution.title}” names no known "
            "organization; kept with organization_id NULL",
        )
    session, paragraph = None, None
    cues = _for(phrases.request_cues, language)
    reports = _for(phrases.report_words, language)
    for item in resolution.operative:
        text = fold(item.text)
        if not (any(cue in text for cue in cues) and any(word in text for word in reports)):
            continue
        session = requested_session(text)
        if session is not None:
            paragraph = item.number
            break
    return Mandate(
        True, organizations, cited_edition(resolution.cites), session, paragraph, warnings
    )


def cited_edition(cites: tuple[str, ...], editions: frozenset[str] | None = None) -> str | None:
    """The first cited symbol that is an edition of the report (extractors/report/editions.yaml),
    as the edition's first symbol: 'A/77/277-S/2022/606' -> 'A/77/277'."""
    known = editions if editions is not None else known_editions()
    for cited in cites:
        try:
            first = split_joint_symbol(cited)[0]
        except NotASymbol:
            continue
        if first in known:
            return first
    return None


@cache
def known_editions() -> frozenset[str]:
    """First symbols of the editions the reviewed list knows."""
    from extractors.report.editions import load_editions

    return frozenset(edition.lookup_symbol for edition in load_editions())


def _for(per_language: dict[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    """The phrases of `language`, else of every language (an unknown language is read as
    any of those CoopWatch knows)."""
    if language in per_language:
        return per_language[language]
    return tuple(phrase for phrases in per_language.values() for phrase in phrases)


def _plain(text: str) -> str:
    """Lower case without accents, so 'neuvième' and 'neuvieme' are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
