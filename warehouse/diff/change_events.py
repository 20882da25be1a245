"""Change events between two editions, as plain data: what the diff produces and
what the warehouse stores, the email renders and analysts query."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from warehouse.diff.change_vocabulary import Family, change_detail, family

EventKind = Literal[
    "organization", "mention", "area", "organization_area", "partnership", "citation"
]


@dataclass(frozen=True)
class ChangeEvent:
    """One labelled difference between two editions, with counts and evidence.

    `subject` is the organization id, area id, "ORG|ENTITY" (partnership),
    "ORG|AREA" (organization area) or cited symbol; `change` is one of appeared,
    vanished, grew, shrank, unchanged, renamed, first_named, no_longer_named,
    section_vanished_still_mentioned, added, removed; its `family` and `change_detail` come
    from the one vocabulary (warehouse/diff/change_vocabulary.py). Evidence lists the paragraph
    numbers in each edition that back the claim.

    Area, organization-area and partnership events also carry their `score` and whether
    they are `material` (warehouse/diff/materiality.py, the rule quoted in `detail`), their
    shares of the edition (or section) in paragraphs and words; area events say their
    `level` (area or sub_area) and the trigger phrases behind them in each edition. A
    section event lists the `organizations` its section covers (two or more for a joint
    chapter, whose subject is its heading key).
    """

    kind: EventKind
    subject: str
    change: str
    old_count: int | None = None
    new_count: int | None = None
    old_words: int | None = None
    new_words: int | None = None
    evidence_old: tuple[int, ...] = ()
    evidence_new: tuple[int, ...] = ()
    name: str | None = None
    old_name: str | None = None
    detail: str | None = None
    uncertain: bool = False
    reissue: bool = False
    level: str | None = None
    score: float | None = None
    material: bool | None = None
    old_share: float | None = None
    new_share: float | None = None
    old_word_share: float | None = None
    new_word_share: float | None = None
    phrases_old: tuple[str, ...] = ()
    phrases_new: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()

    @property
    def family(self) -> Family:
        """appeared, vanished, grew, shrank or unchanged (warehouse/diff/change_vocabulary.py)."""
        return family(self.change)

    @property
    def change_detail(self) -> str:
        """The change in words that never contradict the counts beside them."""
        return change_detail(self)

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data (tuples as lists)."""
        data = asdict(self)
        for name in ("evidence_old", "evidence_new", "phrases_old", "phrases_new", "organizations"):
            data[name] = list(getattr(self, name))
        return data


@dataclass(frozen=True)
class Redline:
    """Sentences added, removed and moved in one organization's section."""

    organization: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditionDiff:
    """Everything that changed from `old` to `new` (edition symbols)."""

    old: str
    new: str
    events: tuple[ChangeEvent, ...]
    uncertain: bool = False
    redlines: tuple[Redline, ...] = field(default=())
    uncertain_reasons: tuple[str, ...] = field(default=())

    @property
    def changed_events(self) -> tuple[ChangeEvent, ...]:
        """Events that report a change (everything but `unchanged`)."""
        return tuple(e for e in self.events if e.change != "unchanged")
