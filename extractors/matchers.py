"""Find organizations, UN entities and cooperation areas in report text, using reference data.

Names match ignoring case, apostrophe, dash and spacing variants (so "l ’Union africaine"
from a PDF still counts); acronyms match case-sensitively on word boundaries and only in
their own language ("CEI" is the CIS in French, the Central European Initiative in English);
short forms ("la Commission") only count inside a section about their organization.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from extractors.model import AreaTag
from extractors.normalize import normalize_text
from extractors.reference_data import Alias, ReferenceData

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
    regex: re.Pattern[str]
    owner_id: str
    owner_kind: OwnerKind
    via: MatchVia
    needle: str  # a literal the text must contain (case-folded for names), to skip most regexes


def phrase_pattern(phrase: str, *, wildcard: bool = False) -> str:
    """A regex for `phrase` tolerant of apostrophe, dash and spacing variants, on word bounds.

    With `wildcard`, a trailing '*' in the phrase matches any word ending.
    """
    open_ending = wildcard and phrase.endswith("*")
    body = phrase[:-1] if open_ending else phrase
    body = re.sub(r"\s*" + _DASH_CLASS + r"\s*", "-", normalize_text(body))
    body = re.sub(r"\s*" + _APOSTROPHE_CLASS + r"\s*", "'", body)
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


class Matcher:
    """Matchers for one language over one set of reference data (build once per report)."""

    def __init__(self, reference: ReferenceData, language: str) -> None:
        self.language = language
        languages = (language,) if language in ("fr", "en") else ("en", "fr")
        self._patterns = tuple(_owner_patterns(reference, languages))
        self._short_forms: dict[str, list[re.Pattern[str]]] = {}
        for alias in sorted(reference.organization_short_forms, key=lambda a: -len(a.alias)):
            if alias.language in languages:
                self._short_forms.setdefault(alias.owner_id, []).append(_short_form_regex(alias))
        self._areas = tuple(
            (
                area.id,
                _compile_phrases(_by_language(languages, area.triggers_fr, area.triggers_en)),
                _compile_phrases(_by_language(languages, area.excludes_fr, area.excludes_en)),
            )
            for area in reference.areas
        )

    def mentions(self, text: str, section_organizations: Sequence[str] = ()) -> tuple[Mention, ...]:
        """All non-overlapping mentions in `text`, longest first; short forms resolve to the
        organizations of the section the text belongs to."""
        folded = text.casefold()
        candidates = [
            Mention(pattern.owner_id, pattern.owner_kind, match.group(), match.start(), pattern.via)
            for pattern in self._patterns
            if pattern.needle in (text if pattern.via == "acronym" else folded)
            for match in pattern.regex.finditer(text)
        ]
        chosen = _longest_non_overlapping(candidates)
        taken = [(m.offset, m.offset + len(m.phrase)) for m in chosen]
        for owner in section_organizations:
            for regex in self._short_forms.get(owner, ()):
                for match in regex.finditer(text):
                    span = match.span("noun")
                    if not any(_overlaps(span, other) for other in taken):
                        chosen.append(
                            Mention(
                                owner, "organization", match.group("noun"), span[0], "short_form"
                            )
                        )
                        taken.append(span)
        return tuple(sorted(chosen, key=lambda m: (m.offset, m.owner_id)))

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
        """One tag per area found in `text` (its first trigger outside any entity name);
        pass the text's `mentions` when already computed."""
        found = self.mentions(text) if mentions is None else mentions
        masked = [(m.offset, m.offset + len(m.phrase)) for m in found]
        tags = []
        for area_id, triggers, excludes in self._areas:
            blocked = masked + [
                match.span() for regex in excludes for match in regex.finditer(text)
            ]
            hits = [
                match
                for regex in triggers
                for match in regex.finditer(text)
                if not any(_overlaps(match.span(), span) for span in blocked)
            ]
            if hits:
                first = min(hits, key=lambda match: (match.start(), -len(match.group())))
                tags.append(AreaTag(id=area_id, phrase=first.group(), offset=first.start()))
        return tuple(sorted(tags, key=lambda tag: (tag.offset, tag.id)))


@lru_cache(maxsize=8)
def matcher_for(reference: ReferenceData, language: str) -> Matcher:
    """A cached matcher, so compiling a few hundred patterns happens once per language."""
    return Matcher(reference, language)


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
        flags = 0 if via == "acronym" else re.IGNORECASE
        needle = phrase if via == "acronym" else re.split(r"\W", phrase.casefold())[0]
        yield _Pattern(re.compile(phrase_pattern(phrase), flags), owner_id, kind, via, needle)


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


def _compile_phrases(phrases: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(phrase_pattern(phrase, wildcard=True), re.IGNORECASE) for phrase in phrases
    )


def _longest_non_overlapping(candidates: list[Mention]) -> list[Mention]:
    chosen: list[Mention] = []
    spans: list[tuple[int, int]] = []
    for mention in sorted(candidates, key=lambda m: (-len(m.phrase), m.offset)):
        span = (mention.offset, mention.offset + len(mention.phrase))
        if not any(_overlaps(span, other) for other in spans):
            chosen.append(mention)
            spans.append(span)
    return chosen


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]
