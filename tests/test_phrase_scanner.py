"""The phrase scanner (extractors/enrich/matchers.py) finds exactly what one `finditer` per
phrase regex finds, and exactly what it found when its gate keyed on a phrase's first word only.

Texts are made of the reference data's own phrases, respelled the ways PDFs print them (case,
runs and kinds of spacing, apostrophe and dash variants, letters that match another only when
case is ignored), glued by words, digits and punctuation, so the phrases' heads, their
prefixes and their near-misses all occur.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.enrich import matchers
from extractors.enrich.matchers import Matcher
from extractors.enrich.reference_data import load_reference

LANGUAGES = ("en", "fr", "es")  # "es": a language without its own phrases takes both
SPACING = (" ", "  ", "\n", "\u00a0", " \t", "\u2009")
APOSTROPHES = ("'", "’", "ʼ", " ’", "' ", "‘", "`")
DASHES = ("-", "–", "—", " - ", "\u2011", "−")
# Letters that match another only when case is ignored (long s, Kelvin sign), and near-misses
# that do not (dotless and dotted i, sharp s).
ODD_LETTERS = {"s": ("ſ", "ß"), "k": ("\u212a",), "i": ("ı", "İ"), "e": ("É", "ё")}
GLUE = ("", " ", ", ", ". ", " and ", " et ", " de l'", "(", ") ", "1", "-", "_", "x", "é")


def scanners_of(matcher: Matcher) -> dict[str, matchers._PhraseScanner]:
    """The matcher's four scanners by name."""
    names, acronyms = matcher._owner_groups
    return {
        "names": names.scanner,
        "acronyms": acronyms.scanner,
        "bodies": matcher._bodies,
        "areas": matcher._area_phrases,
    }


@pytest.fixture(scope="module")
def scanners() -> dict[tuple[str, str], matchers._PhraseScanner]:
    reference = load_reference()
    return {
        (language, name): scanner
        for language in LANGUAGES
        for name, scanner in scanners_of(Matcher(reference, language)).items()
    }


@pytest.fixture(scope="module")
def first_word_scanners() -> dict[tuple[str, str], matchers._PhraseScanner]:
    """The same scanners with the gate keyed on each phrase's first word, as it was before."""
    reference = load_reference()
    patch = pytest.MonkeyPatch()
    patch.setattr(matchers, "_HEAD_WORDS", 1)
    try:
        return {
            (language, name): scanner
            for language in LANGUAGES
            for name, scanner in scanners_of(Matcher(reference, language)).items()
        }
    finally:
        patch.undo()


@pytest.fixture(scope="module")
def phrases() -> list[str]:
    """Every name, alias, body and area phrase of the reference data, in both languages."""
    reference = load_reference()
    found: set[str] = set()
    for item in reference.organizations + reference.un_entities:
        found.update((item.name_fr, item.name_en))
    for alias in reference.organization_aliases + reference.un_entity_aliases:
        found.add(alias.alias)
    found.update(body.name for body in reference.organization_bodies)
    for area in reference.areas:
        for group in (area.triggers_fr, area.triggers_en, area.excludes_fr, area.excludes_en):
            found.update(phrase.rstrip("*") for phrase in group)
    return sorted(found)


def respell(draw: st.DrawFn, phrase: str) -> str:
    """`phrase` as a PDF might print it: some of it cut short, spacing, apostrophes, dashes
    and case changed, odd letters put in."""
    if draw(st.integers(0, 3)) == 0:
        phrase = phrase[: draw(st.integers(1, max(1, len(phrase))))]
    out = []
    for char in phrase:
        if char.isspace():
            out.append(draw(st.sampled_from(SPACING)))
        elif char in "'’":
            out.append(draw(st.sampled_from(APOSTROPHES)))
        elif char in "-–":
            out.append(draw(st.sampled_from(DASHES)))
        else:
            change = draw(st.integers(0, 19))
            if change == 0:
                char = char.swapcase()
            elif change == 1 and char.lower() in ODD_LETTERS:
                char = draw(st.sampled_from(ODD_LETTERS[char.lower()]))
            out.append(char)
    return "".join(out)


@st.composite
def texts(draw: st.DrawFn, phrases: list[str]) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        parts.append(draw(st.sampled_from(GLUE)))
        parts.append(respell(draw, draw(st.sampled_from(phrases))))
    parts.append(draw(st.sampled_from(GLUE)))
    return "".join(parts)


def spans(found: dict[int, list[re.Match[str]]]) -> dict[int, list[tuple[int, int]]]:
    return {index: [match.span() for match in matches] for index, matches in found.items()}


def one_finditer_per_regex(scanner: matchers._PhraseScanner, text: str) -> dict:
    """What the scanner must find: every regex's own `finditer`, regexes without a match left
    out."""
    found = {}
    for index in range(len(scanner._sources)):
        matches = list(scanner._regex(index).finditer(text))
        if matches:
            found[index] = matches
    return spans(found)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scanner_finds_what_each_regex_finds(
    data: st.DataObject,
    scanners: dict[tuple[str, str], matchers._PhraseScanner],
    first_word_scanners: dict[tuple[str, str], matchers._PhraseScanner],
    phrases: list[str],
) -> None:
    text = data.draw(texts(phrases))
    for key, scanner in scanners.items():
        found = spans(scanner.scan(text))
        assert found == one_finditer_per_regex(scanner, text), (key, text)
        assert found == spans(first_word_scanners[key].scan(text)), (key, text)


@pytest.mark.parametrize(
    "text",
    [
        "United Nations Development Programme and the United  Nations\nOffice",
        "the United  Nations Development Programme, the United \tNations Children's Fund",
        "the United\u00a0Nations-African Union partnership; UNITED NATIONS",
        "Commission économique pour l ’Afrique, la Commission de l’Union africaine",
        "peace-keeping, peace keeping and peacekeeping; Peaceſ",
        "L\u212aS and the \u212aosovo Force; İnternational ıslands",
    ],
)
def test_scanner_on_spellings_seen_in_reports(
    text: str, scanners: dict[tuple[str, str], matchers._PhraseScanner]
) -> None:
    for key, scanner in scanners.items():
        assert spans(scanner.scan(text)) == one_finditer_per_regex(scanner, text), key


def test_heads_reach_past_the_first_word() -> None:
    assert matchers._literal_head("United Nations Development Programme") == "United Nations"
    assert matchers._literal_head("Union  africaine") == "Union africaine"  # spacing folded
    assert matchers._literal_head("Côte d'Ivoire") == "Côte d"
    assert matchers._literal_head("peace-keeping") == "peace"
    assert matchers._literal_head("-ONU") == ""
