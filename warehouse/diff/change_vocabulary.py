"""The one vocabulary of change: every change label's family and the words that describe an
event, used by the digest, the report, `coopwatch diff`, the `change_events` table, the
`organization_trajectory` view and `status` alike (docs/changes.md, "The vocabulary").

A change word never contradicts the counts printed beside it: when the paragraphs and the
words moved apart, or the count rose while the share fell, the detail says so plainly.
"""

from __future__ import annotations

from typing import Literal, Protocol

from warehouse.diff.snapshot import HEADING_PREFIX

Family = Literal["appeared", "vanished", "grew", "shrank", "unchanged"]

FAMILIES: tuple[Family, ...] = ("appeared", "vanished", "grew", "shrank", "unchanged")

# Every change label an event can carry: its family, and the words a reader sees for it.
CHANGES: dict[str, tuple[Family, str]] = {
    "appeared": ("appeared", "appeared"),
    "first_named": ("appeared", "named for the first time"),
    "added": ("appeared", "cited for the first time"),
    "vanished": ("vanished", "vanished"),
    "section_vanished_still_mentioned": ("vanished", "section vanished, still named"),
    "no_longer_named": ("vanished", "no longer named"),
    "removed": ("vanished", "no longer cited"),
    "grew": ("grew", "grew"),
    "shrank": ("shrank", "shrank"),
    "renamed": ("unchanged", "renamed"),
    "unchanged": ("unchanged", "unchanged"),
}

# Words particular to one kind, where the change's own words would not say what moved.
KIND_WORDS: dict[tuple[str, str], str] = {
    ("mention", "grew"): "named in more paragraphs",
    ("mention", "shrank"): "named in fewer paragraphs",
    ("organization", "appeared"): "new section",
    ("organization", "vanished"): "section vanished",
}

# What a kind's grew/shrank is measured in, and the base its share is taken of.
UNITS: dict[str, tuple[str, str | None]] = {
    "organization": ("paragraphs of its section", None),
    "mention": ("paragraphs naming it", None),
    "area": ("paragraphs", "edition"),
    "organization_area": ("paragraphs", "section"),
    "partnership": ("paragraphs", "edition"),
    "citation": ("paragraphs citing it", None),
}

# The groups a section event is listed under: a section is an organization only when its
# heading maps to one (or, for a joint chapter, to several).
SECTION_GROUPS: dict[str, str] = {
    "organizations": "a section about one or more registered organizations",
    "sections": "a section whose heading names no organization (thematic or unregistered)",
}


def section_group(subject: str, organizations: tuple[str, ...] | list[str]) -> str:
    """`sections` for a section known by its heading that covers no organization, else
    `organizations`: a thematic heading ("Economic situation") is never an organization."""
    if subject.startswith(HEADING_PREFIX) and not organizations:
        return "sections"
    return "organizations"


class Counted(Protocol):
    """What the vocabulary reads of an event (a `ChangeEvent` or a stored row)."""

    kind: str
    change: str
    old_count: int | None
    new_count: int | None
    old_words: int | None
    new_words: int | None
    old_share: float | None
    new_share: float | None


def family(change: str) -> Family:
    """The family of a change label: appeared, vanished, grew, shrank or unchanged."""
    return CHANGES[change][0]


def change_detail(event: Counted) -> str:
    """The words for the event's change, with how its counts moved when they moved apart
    from the change word ("shrank: more paragraphs, smaller share of the section")."""
    words = KIND_WORDS.get((event.kind, event.change), CHANGES[event.change][1])
    clause = _disagreement(event)
    return f"{words}: {clause}" if clause else words


def _direction(old: float | None, new: float | None) -> int:
    if old is None or new is None or old == new:
        return 0
    return 1 if new > old else -1


def _more(direction: int, noun: str) -> str:
    return {1: "more", -1: "fewer", 0: "as many"}[direction] + " " + noun


def _disagreement(event: Counted) -> str | None:
    """None when the counts all move the way the change word says; else the plain words for
    how they moved."""
    change_family = family(event.change)
    paragraphs = _direction(event.old_count, event.new_count)
    words = _direction(event.old_words, event.new_words)
    if event.change == "unchanged" and paragraphs:
        # Counts that moved less than the rule asks: say they moved, and that it is too
        # little to count, rather than a bare "unchanged" beside 5 -> 4.
        return f"{_more(paragraphs, 'paragraphs')}, within the rule"
    if change_family not in ("grew", "shrank"):
        return None
    said = 1 if change_family == "grew" else -1
    base = UNITS.get(event.kind, ("", None))[1]
    if base is not None and paragraphs != said:
        share = "larger" if said == 1 else "smaller"
        return f"{_more(paragraphs, 'paragraphs')}, {share} share of the {base}"
    if paragraphs != said:
        return f"{_more(paragraphs, 'paragraphs')}, {_more(words, 'words')}"
    if words and words != said:
        return f"{_more(paragraphs, 'paragraphs')}, {_more(words, 'words')}"
    return None


def contradicts(event: Counted) -> bool:
    """True when a bare change word would say the opposite of a count printed beside it (or
    "unchanged" beside counts that moved); the detail then carries the disagreement."""
    return _disagreement(event) is not None


def change_label(event: Counted) -> str:
    """The family, with the detail when it says more: "grew", "vanished (no longer named)",
    "shrank: fewer paragraphs, more words"."""
    fam = family(event.change)
    detail = change_detail(event)
    if detail == fam or detail.startswith(fam + ":"):
        return detail
    return f"{fam} ({detail})"


def family_sql(column: str = "change") -> str:
    """The same mapping as a SQL CASE over a change label column, for views and migrations."""
    cases = " ".join(f"WHEN '{change}' THEN '{fam}'" for change, (fam, _) in CHANGES.items())
    return f"CASE {column} {cases} END"
