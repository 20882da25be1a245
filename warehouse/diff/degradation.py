"""Guard against false alarms: notice when an edition's extraction looks broken.

A section that lost its paragraphs (one whose paragraphs all sit under its numbered
sub-headings, such as "E. Cross-cutting issues" over "1." to "3.", lost none), a text far shorter than the previous edition, gaps or
repeats in the paragraph numbering (the same checks behind the parser's numbering
warnings, recomputed so that other warnings such as unregistered sections do not count)
usually mean the parser failed, not that the UN stopped
cooperating; the diff then marks its events uncertain instead of claiming vanishings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractors.model import Report

MIN_WORD_RATIO = 0.5

# Heading markers of the UN layout, outermost first: "IV.", "B.", "2.", "(c)".
_LEVELS = (
    re.compile(r"^[IVXLC]{2,}\.\s"),
    re.compile(r"^[A-Z]\.\s"),
    re.compile(r"^\d+\.\s"),
    re.compile(r"^\([a-z]{1,4}\)\s"),
)


@dataclass(frozen=True)
class Degradation:
    """Why a diff's events cannot be trusted as they stand; empty `reasons` means none."""

    reasons: tuple[str, ...] = ()

    @property
    def is_degraded(self) -> bool:
        """Whether any sign of a broken extraction was found."""
        return bool(self.reasons)


def extraction_problems(report: Report) -> list[str]:
    """Signs, in one edition alone, that its extraction is incomplete."""
    problems: list[str] = []
    with_paragraphs = {p.section_index for p in report.paragraphs if p.section_index is not None}
    for index, section in enumerate(report.sections):
        if index not in with_paragraphs and not held_by_sub_headings(
            report, index, with_paragraphs
        ):
            problems.append(f"{report.symbol}: section {section.heading!r} has no paragraphs")
    missing = numbering_gaps(report)
    if missing:
        shown = ", ".join(str(n) for n in missing[:10])
        more = f" (+{len(missing) - 10} more)" if len(missing) > 10 else ""
        problems.append(f"{report.symbol}: paragraph numbers missing: {shown}{more}")
    repeated = repeated_numbers(report)
    if repeated:
        shown = ", ".join(str(n) for n in repeated[:10])
        problems.append(f"{report.symbol}: paragraph numbers repeated: {shown}")
    return problems


def heading_level(heading: str) -> int | None:
    """How deep a heading's marker sits (0 for "IV.", 1 for "B.", 2 for "2.", 3 for "(c)");
    None for a heading without one, whose depth the text does not say."""
    for level, marker in enumerate(_LEVELS):
        if marker.match(heading.strip()):
            return level
    return None


def held_by_sub_headings(report: Report, index: int, with_paragraphs: set[int]) -> bool:
    """Whether the section at `index` heads sub-headings of its chapter (the sections after
    it whose markers sit deeper) and one of them holds paragraphs: its text is theirs."""
    sections = report.sections
    level = heading_level(sections[index].heading)
    if level is None:
        return False
    for later in range(index + 1, len(sections)):
        if sections[later].chapter != sections[index].chapter:
            break
        deeper = heading_level(sections[later].heading)
        if deeper is None or deeper <= level:
            break
        if later in with_paragraphs:
            return True
    return False


def numbering_gaps(report: Report) -> list[int]:
    """Paragraph numbers between 1 and the highest one found that the edition lacks."""
    numbers = {p.number for p in report.paragraphs}
    if not numbers:
        return []
    return [n for n in range(1, max(numbers) + 1) if n not in numbers]


def repeated_numbers(report: Report) -> list[int]:
    """Paragraph numbers the edition holds more than once (a misread or merged page)."""
    counts = Counter(p.number for p in report.paragraphs)
    return sorted(n for n, count in counts.items() if count > 1)


def total_words(report: Report) -> int:
    """Words in all numbered paragraphs of an edition."""
    return sum(p.word_count for p in report.paragraphs)


def assess_degradation(
    old: Report, new: Report, min_word_ratio: float = MIN_WORD_RATIO
) -> Degradation:
    """Every reason to doubt a diff from `old` to `new`: problems in either edition, and a
    new edition whose text is below `min_word_ratio` of the old one."""
    reasons = extraction_problems(old) + extraction_problems(new)
    if not new.paragraphs:
        reasons.append(f"{new.symbol}: no numbered paragraphs")
    old_words, new_words = total_words(old), total_words(new)
    if old_words and new_words < min_word_ratio * old_words:
        reasons.append(
            f"{new.symbol}: {new_words} words, under {min_word_ratio:.0%} of "
            f"{old.symbol}'s {old_words}"
        )
    return Degradation(tuple(reasons))
