"""docs/changes.md states the vocabulary of change and its rule once; these tests keep the
document's tables and warehouse/diff/change_vocabulary.py equal, and check that every family
is one of five."""

from __future__ import annotations

import re
from pathlib import Path

from warehouse.diff.change_events import ChangeEvent
from warehouse.diff.change_vocabulary import (
    CHANGES,
    FAMILIES,
    KIND_WORDS,
    SECTION_GROUPS,
    change_detail,
    contradicts,
    section_group,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "changes.md"


def _table(name: str) -> list[list[str]]:
    """The rows of the table between `<!-- name:start -->` and `<!-- name:end -->`."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert block, name
    rows = [line for line in block.group(1).splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in rows]


def test_the_document_lists_every_change_with_its_family_and_words() -> None:
    documented = {change: (family, words) for change, family, words in _table("vocabulary")}
    assert documented == CHANGES
    assert {family for family, _ in CHANGES.values()} == set(FAMILIES)


def test_the_document_lists_the_words_particular_to_a_kind() -> None:
    documented = {(kind, change): words for kind, change, words in _table("kind-words")}
    assert documented == KIND_WORDS


def test_the_document_lists_the_groups_a_section_is_listed_under() -> None:
    documented = {group: what for group, what in _table("section-groups")}
    assert documented == SECTION_GROUPS
    assert section_group("heading:economic situation", ()) == "sections"
    assert section_group("heading:coopération avec l'oiac", ("OPCW", "CTBTO")) == "organizations"
    assert section_group("AU", ("AU",)) == "organizations"


def _counts(cell: str) -> tuple[int, int]:
    old, new = cell.split("->")
    return int(old), int(new)


def test_the_documented_examples_of_the_rule_are_what_the_code_says() -> None:
    rows = _table("rule-examples")
    assert len(rows) >= 5
    for kind, change, paragraphs, words, detail in rows:
        (old_count, new_count), (old_words, new_words) = _counts(paragraphs), _counts(words)
        event = ChangeEvent(
            kind,  # type: ignore[arg-type]
            "X",
            change,
            old_count=old_count,
            new_count=new_count,
            old_words=old_words,
            new_words=new_words,
        )
        assert change_detail(event) == detail
        assert contradicts(event) == (":" in detail)


def test_a_change_word_never_stands_alone_against_its_counts() -> None:
    # Every combination of directions for a grew/shrank event: the bare word appears only
    # when paragraphs (and words, where known) moved its way.
    for kind in ("organization", "organization_area", "area", "mention"):
        for change in ("grew", "shrank"):
            said = 1 if change == "grew" else -1
            for old_count, new_count in ((3, 4), (4, 3), (3, 3)):
                for old_words, new_words in ((100, 120), (120, 100), (100, 100)):
                    event = ChangeEvent(
                        kind,  # type: ignore[arg-type]
                        "X",
                        change,
                        old_count=old_count,
                        new_count=new_count,
                        old_words=old_words,
                        new_words=new_words,
                    )
                    paragraphs_agree = (new_count - old_count) * said > 0
                    words_agree = (new_words - old_words) * said >= 0
                    if not (paragraphs_agree and words_agree):
                        assert ":" in change_detail(event), (kind, change, event)
