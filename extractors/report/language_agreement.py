"""One edition in two languages compared: the same paragraph numbers, the same sections and
the same organizations per paragraph, since the UN issues every language with one structure.

A disagreement is a defect in one of the two derivations, named with its paragraphs: a
`parse` defect (a paragraph only one language has, or placed under another section) or a
`recognition` defect (a section heading or a paragraph naming other organizations).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from extractors.model import Paragraph, Report

DefectKind = Literal["parse", "recognition"]


@dataclass(frozen=True)
class Disagreement:
    """Where two languages of one edition differ, and which paragraphs show it."""

    kind: DefectKind
    paragraphs: tuple[int, ...]
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for `coopwatch status --json`."""
        return {"kind": self.kind, "paragraphs": list(self.paragraphs), "detail": self.detail}

    def describe(self) -> str:
        """One line: the defect's kind, its paragraphs and what differs."""
        numbers = ", ".join(f"¶{number}" for number in self.paragraphs)
        return f"{self.kind} defect {numbers}: {self.detail}"


def compare_languages(first: Report, second: Report) -> tuple[Disagreement, ...]:
    """Every disagreement between two derivations of one edition, in paragraph order."""
    one, two = first.language, second.language
    by_number = [{p.number: p for p in report.paragraphs} for report in (first, second)]
    found: list[Disagreement] = []
    for own, other, language, missing in ((0, 1, one, two), (1, 0, two, one)):
        only = sorted(set(by_number[own]) - set(by_number[other]))
        if only:
            found.append(
                Disagreement("parse", tuple(only), f"in {language} only, not in {missing}")
            )
    shared = sorted(set(by_number[0]) & set(by_number[1]))
    moved = [
        number
        for number in shared
        if by_number[0][number].section_index != by_number[1][number].section_index
    ]
    if moved:
        found.append(
            Disagreement(
                "parse",
                tuple(moved),
                f"under another section ({one} {_section_places(first, by_number[0], moved)}; "
                f"{two} {_section_places(second, by_number[1], moved)})",
            )
        )
    for number in shared:
        if number in moved:
            continue
        left, right = by_number[0][number], by_number[1][number]
        left_section = _section_organizations(first, left)
        right_section = _section_organizations(second, right)
        if left_section != right_section:
            found.append(
                Disagreement(
                    "recognition",
                    (number,),
                    f"its section's heading names {_ids(left_section)} in {one}, "
                    f"{_ids(right_section)} in {two}",
                )
            )
        elif left.organizations != right.organizations:
            found.append(
                Disagreement(
                    "recognition",
                    (number,),
                    f"names {_ids(left.organizations)} in {one}, "
                    f"{_ids(right.organizations)} in {two}",
                )
            )
    return tuple(sorted(found, key=lambda d: (d.paragraphs[0], d.kind)))


def _section_organizations(report: Report, paragraph: Paragraph) -> tuple[str, ...] | None:
    index = paragraph.section_index
    if index is None or not 0 <= index < len(report.sections):
        return None
    return report.sections[index].organizations


def _section_places(report: Report, paragraphs: dict[int, Paragraph], numbers: list[int]) -> str:
    """'¶12 in section 3 (AU)' for the first moved paragraph, to point at the shift."""
    paragraph = paragraphs[numbers[0]]
    organizations = _section_organizations(report, paragraph)
    where = (
        "no section" if paragraph.section_index is None else f"section {paragraph.section_index}"
    )
    return f"¶{paragraph.number} in {where} ({_ids(organizations or ())})"


def _ids(ids: tuple[str, ...] | None) -> str:
    return ", ".join(ids) if ids else "none"
