"""Find organizations, UN entities and cooperation areas in report text, using reference data.

Names match ignoring case, apostrophe, dash and spacing variants (so "l ’Union africaine"
from a PDF still counts); acronyms match case-sensitively on word boundaries and only in
their own language ("CEI" is the CIS in French, the Central European Initiative in English);
short forms ("la Commission") only count inside a section about their organization.
Phrases are found by one gated pass per text (see `_PhraseScanner`), not one scan per phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from common.ready_made import ready_made
from common.ready_patterns import ready_compile
from extractors.enrich.reference_data import (
    Alias,
    ReferenceData,
    bundled_reference_files,
    load_reference,
)
from extractors.enrich.spans import SpanSet
from extractors.model import AreaTag
from extractors.normalize import normalize_text

OwnerKind = Literal["organization", "un_entity"]
MatchVia = Literal["name", "acronym", "short_form"]

_APOSTROPHE_CLASS = "['’ʼ‘`´]"
_DASH_CLASS = "[-‐‑‒–—−]"
# Words that turn a short form into another body's name: "la Commission de consolidation de
# la paix", "le Conseil de sécurité", "la Commission africaine des droits de l'homme".
_SHORT_FORM_COMPLEMENT = (
    r"(?!\s*" + _DASH_CLASS + r")"
    r"(?!\s+(?:de|du|des|d\s*" + _APOSTROPHE_CLASS + r"|of|for|on|pour\s+la\s+consolidation)\b)"
    r"(?!\s+[A-ZÀ-ÖØ-Þ])"
    r"(?!\s+(?:économique|économiques|préparatoire|interaméricaine|africaine|européenne|"
    r"internationale|inter-États|mondiale|régionale|régionales|exécutive|spéciale|"
    r"intergouvernementale|indépendante|permanente)\b)"
)
_SHORT_FORM_DETERMINER = {
    "fr": r"(?<!\w)(?i:(?:la|le|du|au)\s+|l\s*" + _APOSTROPHE_CLASS + r"\s*)",
    "en": r"(?<!\w)(?i:the\s+)",
}
# In a scanner's head keys, one run of spacing in the text (`\s+` in the phrase's regex).
_SPACING = " "
# Words a head keeps: two cut the phrases tried, and so compiled, by a third on a long report;
# more make the gate regex slower to compile than they save.
_HEAD_WORDS = 2
_HEADING_BOILERPLATE = re.compile(
    r"^\s*(?:[IVXLC]+|[A-Z])\.\s+"
    r"|coopération entre l'organisation des nations unies et"
    r"|cooperation between the united nations and"
    r"|\b(?:la|le|les|l'|et|the|and)\b|l'"
    r"|[\s;,:()\-–—.]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    """One place where an organization or UN entity is named, and how it was recognised."""

    owner_id: str
    owner_kind: OwnerKind
    phrase: str
    offset: int
    via: MatchVia


@dataclass(frozen=True)
class _Pattern:
    source: str  # the regex (compiled when first needed, by the scanner)
    owner_id: str
    owner_kind: OwnerKind
    via: MatchVia
    needle: str  # a literal the text must contain (case-folded for names), to skip most regexes
    head: str  # what the regex matches literally first (see _literal_head)


def phrase_pattern(phrase: str, *, wildcard: bool = False) -> str:
    """A regex for `phrase` tolerant of apostrophe, dash and spacing variants, on word bounds.

    With `wildcard`, a trailing '*' in the phrase matches any word ending.
    """
    body, open_ending = _phrase_body(phrase, wildcard)
    parts: list[str] = []
    for char in body:
        if char.isspace():
            parts.append(r"\s+")
        elif char == "'":
            parts.append(r"\s*" + _APOSTROPHE_CLASS + r"\s*")
        elif char == "-":
            parts.append(r"\s*" + _DASH_CLASS + r"\s*")
        else:
            parts.append(re.escape(char))
    ending = r"\w*" if open_ending else ""
    return r"(?<!\w)" + "".join(parts) + ending + r"(?!\w)"


def _phrase_body(phrase: str, wildcard: bool) -> tuple[str, bool]:
    """The phrase as `phrase_pattern` spells it (one dash, one apostrophe), and whether it
    ends with a wildcard."""
    open_ending = wildcard and phrase.endswith("*")
    body = phrase[:-1] if open_ending else phrase
    body = re.sub(r"\s*" + _DASH_CLASS + r"\s*", "-", normalize_text(body))
    body = re.sub(r"\s*" + _APOSTROPHE_CLASS + r"\s*", "'", body)
    return body, open_ending


def _literal_head(phrase: str, *, wildcard: bool = False) -> str:
    r"""What `phrase_pattern(phrase)` matches right after its start, up to its first apostrophe
    or dash and at most `_HEAD_WORDS` words: its letters as written, each run of spacing
    (`\s+`) as one `_SPACING` key.

    The second word is part of the head so that the scanner tries "United Nations
    Development Programme" only where "United Nations" is, not at every "United".
    """
    body, _ = _phrase_body(phrase, wildcard)
    if body[:1].isspace():
        return ""
    head: list[str] = []
    for char in body:
        if char in "'-":
            break
        if char.isspace():
            if head[-1] == _SPACING or head.count(_SPACING) == _HEAD_WORDS - 1:
                break  # (two spacing runs in a row: `\s+\s+` needs two spaces, kept out)
            head.append(_SPACING)
        else:
            head.append(char)
    return "".join(head).rstrip(_SPACING)


class Matcher:
    """Matchers for one language over one set of reference data (build once per report)."""

    def __init__(self, reference: ReferenceData, language: str) -> None:
        self.language = language
        languages = (language,) if language in ("fr", "en") else ("en", "fr")
        self._patterns = tuple(_owner_patterns(reference, languages))
        self._owner_groups = (
            _owner_group(self._patterns, is_acronym=False),
            _owner_group(self._patterns, is_acronym=True),
        )
        self._short_forms: dict[str, list[Alias]] = {}
        for alias in sorted(reference.organization_short_forms, key=lambda a: -len(a.alias)):
            if alias.language in languages:
                self._short_forms.setdefault(alias.owner_id, []).append(alias)
        self._short_form_regexes: dict[str, tuple[re.Pattern[str], ...]] = {}
        self._area_ids = tuple(area.id for area in reference.areas)
        self._topic_names = frozenset(name.owner_id for name in reference.topic_names)
        numbers = {area.id: number for number, area in enumerate(reference.areas)}
        self._area_parents = tuple(
            numbers[area.parent] if area.parent else None for area in reference.areas
        )
        bodies = [body.name for body in reference.organization_bodies if body.language in languages]
        self._bodies = _PhraseScanner(
            [(phrase_pattern(name), _literal_head(name)) for name in bodies], ignore_case=True
        )
        phrases: list[str] = []
        roles: list[tuple[int, bool]] = []  # per phrase: its area's number, whether an exclude
        for number, area in enumerate(reference.areas):
            for is_exclude, found in (
                (False, _by_language(languages, area.triggers_fr, area.triggers_en)),
                (True, _by_language(languages, area.excludes_fr, area.excludes_en)),
            ):
                phrases.extend(found)
                roles.extend((number, is_exclude) for _ in found)
        self._area_roles = tuple(roles)
        self._area_phrases = _PhraseScanner(
            [
                (phrase_pattern(phrase, wildcard=True), _literal_head(phrase, wildcard=True))
                for phrase in phrases
            ],
            ignore_case=True,
        )

    def mentions(self, text: str, section_organizations: Sequence[str] = ()) -> tuple[Mention, ...]:
        """All non-overlapping mentions in `text`, longest first; short forms resolve to the
        organizations of the section the text belongs to."""
        chosen = _longest_non_overlapping(self._patterns, self._owner_matches(text))
        taken = SpanSet((m.offset, m.offset + len(m.phrase)) for m in chosen)
        for owner in section_organizations:
            for regex in self._short_form_regexes_of(owner):
                for match in regex.finditer(text):
                    span = match.span("noun")
                    if not taken.overlaps(span):
                        chosen.append(
                            Mention(
                                owner, "organization", match.group("noun"), span[0], "short_form"
                            )
                        )
                        taken.add(span)
        return tuple(sorted(chosen, key=lambda m: (m.offset, m.owner_id)))

    def _short_form_regexes_of(self, owner: str) -> tuple[re.Pattern[str], ...]:
        """The short-form regexes of one organization, longest alias first, compiled once."""
        regexes = self._short_form_regexes.get(owner)
        if regexes is None:
            regexes = tuple(map(_short_form_regex, self._short_forms.get(owner, ())))
            self._short_form_regexes[owner] = regexes
        return regexes

    def _owner_matches(self, text: str) -> list[tuple[int, re.Match[str]]]:
        """Every match of every name and acronym pattern whose needle `text` contains, as
        (pattern index, match); the same matches one finditer per pattern would give."""
        folded = text.casefold()
        found: list[tuple[int, re.Match[str]]] = []
        for group in self._owner_groups:
            wanted = _needle_filter(group.needles, text if group.is_acronym else folded)
            for position, matches in group.scanner.scan(text, wanted).items():
                found.extend((group.indexes[position], match) for match in matches)
        return found

    def organizations_in(
        self, text: str, section_organizations: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """Sorted distinct organization ids named in `text`."""
        found = self.mentions(text, section_organizations)
        return tuple(sorted({m.owner_id for m in found if m.owner_kind == "organization"}))

    def un_entities_in(self, text: str) -> tuple[str, ...]:
        """Sorted distinct UN entity ids named in `text`."""
        return tuple(
            sorted({m.owner_id for m in self.mentions(text) if m.owner_kind == "un_entity"})
        )

    def heading_organizations(self, heading: str) -> tuple[str, ...]:
        """Organization ids a section heading is about, in heading order; () unless the whole
        heading is accounted for, so a new organization is never merged into a known one."""
        text = normalize_text(heading)
        found = [m for m in self.mentions(text) if m.owner_kind == "organization"]
        residue = list(text)
        for mention in found:
            residue[mention.offset : mention.offset + len(mention.phrase)] = " " * len(
                mention.phrase
            )
        if _HEADING_BOILERPLATE.sub("", "".join(residue)):
            return ()
        return tuple(dict.fromkeys(m.owner_id for m in found))

    def areas(self, text: str, mentions: Sequence[Mention] | None = None) -> tuple[AreaTag, ...]:
        """One tag per area found in `text` (its first trigger outside any entity or body
        name, except the names of bodies named for their topic, `topic_names.csv`); a
        sub-area's tag implies its broad area's, explained by the earliest trigger of either.
        Pass the text's `mentions` when already computed."""
        found = self.mentions(text) if mentions is None else mentions
        masked = [
            (m.offset, m.offset + len(m.phrase))
            for m in found
            if m.owner_id not in self._topic_names
        ]
        masked.extend(
            match.span() for matches in self._bodies.scan(text).values() for match in matches
        )
        triggered: dict[int, list[re.Match[str]]] = {}
        excluded: dict[int, list[tuple[int, int]]] = {}
        for index, matches in self._area_phrases.scan(text).items():
            number, is_exclude = self._area_roles[index]
            if is_exclude:
                excluded.setdefault(number, []).extend(match.span() for match in matches)
            else:
                triggered.setdefault(number, []).extend(matches)
        firsts: dict[int, re.Match[str]] = {}
        for number, candidates in triggered.items():
            blocked = SpanSet(masked + excluded.get(number, []))
            hits = [match for match in candidates if not blocked.overlaps(match.span())]
            if hits:
                firsts[number] = min(hits, key=_reading_order)
        for number, first in list(firsts.items()):
            parent = self._area_parents[number]
            if parent is not None and (
                parent not in firsts or _reading_order(first) < _reading_order(firsts[parent])
            ):
                firsts[parent] = first
        tags = [
            AreaTag(id=self._area_ids[number], phrase=first.group(), offset=first.start())
            for number, first in firsts.items()
        ]
        return tuple(sorted(tags, key=lambda tag: (tag.offset, tag.id)))


def _reading_order(match: re.Match[str]) -> tuple[int, int]:
    """Earliest first, the longer of two phrases starting at one place first."""
    return (match.start(), -len(match.group()))


class _PhraseScanner:
    r"""Every match of many `phrase_pattern` regexes, exactly as one finditer per regex finds
    them, from one pass over the text.

    Each regex starts with `(?<!\w)` and then its head (`_literal_head`: letters and runs of
    spacing up to the first apostrophe or dash). One gate regex, a trie of all the heads, finds
    each place where some head starts and the longest head there; only the regexes whose head
    matches that text are tried, at that place. Sibling branches of the trie never match one
    text character alike (letters by `_case_classes`, spacing against letters), so the first
    match is the longest.
    Regexes are compiled when first tried: most phrases never occur in a given report.
    """

    def __init__(self, entries: Sequence[tuple[str, str]], *, ignore_case: bool) -> None:
        self._flags = re.IGNORECASE if ignore_case else 0
        self._sources = tuple(source for source, _ in entries)
        self._regexes: list[re.Pattern[str] | None] = [None] * len(entries)
        self._ungated = tuple(index for index, (_, head) in enumerate(entries) if not head)
        heads = [head for _, head in entries if head]
        # Letters a text character matches alike share one spelling, so equal heads (ignoring
        # case) share a key and a head's key is a prefix of the key of the text it matches.
        self._letters = _case_classes(
            (char for head in heads for char in head if char != _SPACING), self._flags
        )
        self._representatives = tuple(sorted(set(self._letters.values())))
        self._letters[_SPACING] = _SPACING
        self._by_key: dict[str, list[int]] = {}
        for index, (_, head) in enumerate(entries):
            if head:
                key = "".join(self._letters[char] for char in head)
                self._by_key.setdefault(key, []).append(index)
        self._gate = (
            ready_compile(r"(?<!\w)(?=(" + _trie_pattern(self._by_key) + "))", self._flags)
            if heads
            else None
        )
        self._candidates: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> dict[str, object]:
        """What a ready-made copy keeps: the gate's source, no compiled phrase regex."""
        state = dict(self.__dict__)
        state["_gate"] = self._gate.pattern if self._gate is not None else None
        state["_regexes"] = [None] * len(self._regexes)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        """A copy read back: the gate compiled from its kept code (`ready_compile`)."""
        gate, flags = state["_gate"], state["_flags"]
        if isinstance(gate, str) and isinstance(flags, int):
            state["_gate"] = ready_compile(gate, flags)
        self.__dict__.update(state)

    def scan(
        self, text: str, wanted: Callable[[int], bool] | None = None
    ) -> dict[int, list[re.Match[str]]]:
        """Matches per regex index (regexes without a match left out), in text order, each
        regex's matches non-overlapping as finditer gives them; `wanted` skips regexes."""
        found: dict[int, list[re.Match[str]]] = {}
        ends: dict[int, int] = {}
        if self._gate is not None:
            for gate in self._gate.finditer(text):
                start = gate.start()
                surface = gate.group(1)
                indexes = self._candidates.get(surface)
                if indexes is None:
                    indexes = self._candidates[surface] = self._regexes_for(surface)
                for index in indexes:
                    # finditer resumes after a match, so a regex never matches inside itself.
                    if start < ends.get(index, 0) or (wanted is not None and not wanted(index)):
                        continue
                    match = self._regex(index).match(text, start)
                    if match is not None:
                        found.setdefault(index, []).append(match)
                        ends[index] = match.end()
        for index in self._ungated:
            if wanted is None or wanted(index):
                matches = list(self._regex(index).finditer(text))
                if matches:
                    found[index] = matches
        return found

    def _regex(self, index: int) -> re.Pattern[str]:
        regex = self._regexes[index]
        if regex is None:
            regex = self._regexes[index] = ready_compile(self._sources[index], self._flags)
        return regex

    def _regexes_for(self, surface: str) -> tuple[int, ...]:
        """Indexes of the regexes whose head matches the start of `surface` (the longest
        head at some place, as the text spells it), in index order."""
        key = ""
        indexes: list[int] = []
        for char in surface:
            if char.isspace():
                if key.endswith(_SPACING):
                    continue  # the rest of one run of spacing
                key += _SPACING
            else:
                key += self._letter_of(char)
            indexes.extend(self._by_key.get(key, ()))
        return tuple(sorted(indexes))

    def _letter_of(self, char: str) -> str:
        """The head letter a text character matches (the gate matched it, so there is one)."""
        letter = self._letters.get(char)
        if letter is None:
            letter = next(
                other for other in self._representatives if _same_letter(other, char, self._flags)
            )
            self._letters[char] = letter
        return letter


def _same_letter(letter: str, char: str, flags: int) -> bool:
    """Whether `char` matches the pattern character `letter` under `flags`."""
    return re.fullmatch(re.escape(letter), char, flags) is not None


def _case_classes(chars: Iterable[str], flags: int) -> dict[str, str]:
    """Each character mapped to the first of those that match it and that it matches under
    `flags` (ignoring case or not), so no two trie branches can take one text character."""
    canonical: dict[str, str] = {}
    representatives: list[str] = []
    for char in sorted(set(chars)):
        for other in representatives:
            if _same_letter(other, char, flags) and _same_letter(char, other, flags):
                canonical[char] = other
                break
        else:
            representatives.append(char)
            canonical[char] = char
    return canonical


def _trie_pattern(keys: Iterable[str]) -> str:
    """A regex (compiled with the heads' flags) matching the longest of `keys` at a place:
    sibling branches start with letters no text character matches both of (`_case_classes`),
    and each end of a key is an optional, greedy stop, so the first match is the longest."""
    root: dict[str, dict] = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: dict[str, dict]) -> str:
    branches = [
        (r"\s+" if char == _SPACING else re.escape(char)) + _trie_node(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if "" in node else body


@lru_cache(maxsize=8)
def matcher_for(reference: ReferenceData, language: str) -> Matcher:
    """A cached matcher, so compiling a few hundred patterns happens once per language; the
    bundled reference data's matchers are kept ready-made between runs (`common.ready_made`:
    building one costs more than enriching a short report)."""
    if reference is not load_reference():
        return Matcher(reference, language)
    return ready_made(
        f"matcher_{language}",
        [*bundled_reference_files(), *_BUILDING_CODE],
        lambda: Matcher(reference, language),
    )


# The code a matcher is built by (this module, the spans and normalization it builds with):
# a ready-made matcher is made again when any of it changes.
_BUILDING_CODE = (
    Path(__file__),
    Path(__file__).with_name("spans.py"),
    Path(__file__).parents[1] / "normalize.py",
)


def _owner_patterns(reference: ReferenceData, languages: Sequence[str]) -> Iterable[_Pattern]:
    claimed: set[tuple[str, bool]] = set()
    names: list[tuple[str, str, OwnerKind, MatchVia]] = []
    owners: list[tuple[OwnerKind, Iterable[object], Iterable[Alias]]] = [
        ("organization", reference.organizations, reference.organization_aliases),
        ("un_entity", reference.un_entities, reference.un_entity_aliases),
    ]
    for language in languages:
        for kind, items, aliases in owners:
            for item in items:
                names.append((getattr(item, f"name_{language}"), item.id, kind, "name"))  # type: ignore[attr-defined]
            for alias in aliases:
                if alias.language == language:
                    via: MatchVia = "acronym" if alias.is_acronym else "name"
                    names.append((alias.alias, alias.owner_id, kind, via))
    for phrase, owner_id, kind, via in names:
        key = (phrase if via == "acronym" else phrase.casefold(), via == "acronym")
        if key in claimed:
            # The first language listed wins a phrase two languages give to different owners.
            continue
        claimed.add(key)
        needle = phrase if via == "acronym" else re.split(r"\W", phrase.casefold())[0]
        yield _Pattern(phrase_pattern(phrase), owner_id, kind, via, needle, _literal_head(phrase))


@dataclass(frozen=True)
class _OwnerGroup:
    """The name patterns (ignoring case, needle looked for in the case-folded text) or the
    acronym patterns (keeping case, needle in the text as written), scanned together."""

    is_acronym: bool
    indexes: tuple[int, ...]  # each member's place in Matcher._patterns
    needles: tuple[str, ...]
    scanner: _PhraseScanner


def _owner_group(patterns: Sequence[_Pattern], *, is_acronym: bool) -> _OwnerGroup:
    members = [
        (index, pattern)
        for index, pattern in enumerate(patterns)
        if (pattern.via == "acronym") == is_acronym
    ]
    return _OwnerGroup(
        is_acronym=is_acronym,
        indexes=tuple(index for index, _ in members),
        needles=tuple(pattern.needle for _, pattern in members),
        scanner=_PhraseScanner(
            [(pattern.source, pattern.head) for _, pattern in members], ignore_case=not is_acronym
        ),
    )


def _short_form_regex(alias: Alias) -> re.Pattern[str]:
    noun = phrase_pattern(alias.alias).removeprefix(r"(?<!\w)").removesuffix(r"(?!\w)")
    return re.compile(
        _SHORT_FORM_DETERMINER[alias.language]
        + r"(?P<noun>"
        + noun
        + r")(?!\w)"
        + _SHORT_FORM_COMPLEMENT
    )


def _by_language(
    languages: Sequence[str], french: tuple[str, ...], english: tuple[str, ...]
) -> tuple[str, ...]:
    return tuple(
        phrase for language in languages for phrase in (french if language == "fr" else english)
    )


def _longest_non_overlapping(
    patterns: Sequence[_Pattern], candidates: list[tuple[int, re.Match[str]]]
) -> list[Mention]:
    """Longest matches first, then leftmost, then the pattern listed first."""
    chosen: list[Mention] = []
    spans = SpanSet()
    ordered = sorted(candidates, key=lambda c: (c[1].start() - c[1].end(), c[1].start(), c[0]))
    for index, match in ordered:
        span = match.span()
        if not spans.overlaps(span):
            pattern = patterns[index]
            chosen.append(
                Mention(pattern.owner_id, pattern.owner_kind, match.group(), span[0], pattern.via)
            )
            spans.add(span)
    return chosen


def _needle_filter(needles: Sequence[str], haystack: str) -> Callable[[int], bool]:
    """Whether `haystack` contains the needle of pattern number n, each needle looked up once."""
    present: dict[str, bool] = {}

    def contains(number: int) -> bool:
        needle = needles[number]
        known = present.get(needle)
        if known is None:
            known = present[needle] = needle in haystack
        return known

    return contains
