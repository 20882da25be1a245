"""Render an `EditionDiff` for people and programs: the JSON object `coopwatch diff --json`
prints, and the readable table it prints otherwise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from warehouse.diff.change_events import ChangeEvent, EditionDiff
from warehouse.diff.change_vocabulary import change_label, section_group
from warehouse.diff.snapshot import HEADING_PREFIX

_NAME_WIDTH = 48


def _evidence(event: ChangeEvent) -> dict[str, list[int]]:
    return {"old": list(event.evidence_old), "new": list(event.evidence_new)}


def _counts(event: ChangeEvent) -> dict[str, Any]:
    return {
        "change": event.change,
        "family": event.family,
        "change_detail": event.change_detail,
        "old_paragraphs": event.old_count,
        "new_paragraphs": event.new_count,
        "evidence": _evidence(event),
        "uncertain": event.uncertain,
    }


def _judged(event: ChangeEvent) -> dict[str, Any]:
    """Score, materiality and shares of an area, organization-area or partnership event."""
    values: dict[str, Any] = {
        "score": event.score,
        "material": event.material,
        "old_share": event.old_share,
        "new_share": event.new_share,
        "old_word_share": event.old_word_share,
        "new_word_share": event.new_word_share,
        "old_words": event.old_words,
        "new_words": event.new_words,
        "detail": event.detail,
    }
    if event.kind in ("area", "organization_area"):
        values["level"] = event.level
        values["phrases"] = {"old": list(event.phrases_old), "new": list(event.phrases_new)}
    return values


def _of_kind(diff: EditionDiff, kind: str) -> list[ChangeEvent]:
    return [event for event in diff.events if event.kind == kind]


def _sections(diff: EditionDiff, group: str) -> list[ChangeEvent]:
    """Section events of one group (docs/changes.md): `organizations`, the sections about
    organizations, or `sections`, those whose heading names none."""
    return [
        e
        for e in _of_kind(diff, "organization")
        if section_group(e.subject, e.organizations) == group
    ]


def _headings_of_sections(diff: EditionDiff) -> dict[str, str]:
    """Section key -> heading, for the sections whose heading names no organization: their
    areas are a section's areas, not an organization's."""
    return {e.subject: e.name or e.subject for e in _sections(diff, "sections")}


def _section_counts(event: ChangeEvent) -> dict[str, Any]:
    return {
        **_counts(event),
        "old_words": event.old_words,
        "new_words": event.new_words,
        **({"detail": event.detail} if event.detail else {}),
    }


def diff_to_json(diff: EditionDiff) -> dict[str, Any]:
    """The one JSON object of `coopwatch diff OLD NEW --json` (see issue 6 for the shape);
    sections whose heading names no organization are under `sections`, by their heading."""
    organization_areas, section_areas = _areas_json(diff)
    return {
        "old": diff.old,
        "new": diff.new,
        "organizations": _organizations_json(diff),
        "sections": _headed_sections_json(diff),
        "mentions": [{"id": e.subject, **_counts(e)} for e in _of_kind(diff, "mention")],
        "areas": [{"id": e.subject, **_counts(e), **_judged(e)} for e in _of_kind(diff, "area")],
        "organization_areas": organization_areas,
        "section_areas": section_areas,
        "partnerships": _partnerships_json(diff),
        "citations": _citations_json(diff),
        "uncertain": diff.uncertain,
        "uncertain_reasons": list(diff.uncertain_reasons),
        "redlines": _redlines_json(diff),
    }


def _organizations_json(diff: EditionDiff) -> list[dict[str, Any]]:
    """The organization sections' events, by organization id."""
    return [
        {
            "id": e.subject,
            "name": e.name,
            **({"old_name": e.old_name} if e.old_name else {}),
            "organizations": list(e.organizations),
            **_section_counts(e),
        }
        for e in _sections(diff, "organizations")
    ]


def _headed_sections_json(diff: EditionDiff) -> list[dict[str, Any]]:
    """The events of sections whose heading names no organization, by their heading."""
    return [
        {
            "id": e.subject,
            "heading": e.name,
            **({"old_heading": e.old_name} if e.old_name else {}),
            **_section_counts(e),
        }
        for e in _sections(diff, "sections")
    ]


def _areas_json(diff: EditionDiff) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The areas per organization, and the areas per section known by its heading alone."""
    headings = _headings_of_sections(diff)
    organization_areas = []
    section_areas = []
    for e in _of_kind(diff, "organization_area"):
        organization, _, area = e.subject.partition("|")
        if organization in headings:
            section_areas.append(
                {"heading": headings[organization], "area": area, **_counts(e), **_judged(e)}
            )
        else:
            organization_areas.append(
                {"organization": organization, "area": area, **_counts(e), **_judged(e)}
            )
    return organization_areas, section_areas


def _partnerships_json(diff: EditionDiff) -> list[dict[str, Any]]:
    """The partnership events, an organization and a UN entity each."""
    partnerships = []
    for e in _of_kind(diff, "partnership"):
        organization, _, entity = e.subject.partition("|")
        partnerships.append(
            {
                "organization": organization,
                "un_entity": entity,
                "change": e.change,
                "family": e.family,
                "change_detail": e.change_detail,
                "old_paragraphs": e.old_count,
                "new_paragraphs": e.new_count,
                "evidence": _evidence(e),
                "uncertain": e.uncertain,
                **_judged(e),
            }
        )
    return partnerships


def _citations_json(diff: EditionDiff) -> dict[str, list[dict[str, Any]]]:
    """The citations added and removed."""
    citations: dict[str, list[dict[str, Any]]] = {"added": [], "removed": []}
    for e in _of_kind(diff, "citation"):
        citations[e.change].append(
            {
                "symbol": e.subject,
                "title": e.name,
                "family": e.family,
                "change_detail": e.change_detail,
                "evidence": _evidence(e),
            }
        )
    return citations


def _redlines_json(diff: EditionDiff) -> list[dict[str, Any]]:
    """Each organization's paragraphs added, removed and moved."""
    return [
        {
            "organization": r.organization,
            "added": list(r.added),
            "removed": list(r.removed),
            "moved": list(r.moved),
        }
        for r in diff.redlines
    ]


def _numbers(numbers: Sequence[int]) -> str:
    """Paragraph numbers with runs folded: 4, 5, 6, 9 -> `4-6, 9`."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs) or "-"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def _short(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= _NAME_WIDTH else text[: _NAME_WIDTH - 1] + "…"


def _change(event: ChangeEvent) -> str:
    """The event's change in the one vocabulary (family, then its words when they add to it),
    marked ! when material and ? when uncertain."""
    return (
        change_label(event) + (" !" if event.material else "") + (" ?" if event.uncertain else "")
    )


def _subject(event: ChangeEvent) -> str:
    """A section known by its heading shows the organizations it covers, or the heading cut
    short; every other subject shows as it is."""
    if event.subject.startswith(HEADING_PREFIX):
        return " + ".join(event.organizations) or _short(event.subject)
    return event.subject


def _section_table(events: Sequence[ChangeEvent], first: str) -> list[str]:
    """Section events as rows: an organization section by its id and name, a section naming
    no organization by its heading alone."""
    by_heading = first == "heading"
    headers = [
        "change",
        first,
        *(() if by_heading else ("name",)),
        "paragraphs",
        "words",
        "evidence old",
        "evidence new",
    ]
    rows = []
    for e in events:
        name = _short(e.name if e.change != "renamed" else f"{e.old_name} -> {e.name}")
        rows.append(
            [
                _change(e),
                *((name,) if by_heading else (_subject(e), name)),
                f"{e.old_count} -> {e.new_count}",
                f"{e.old_words} -> {e.new_words}",
                _numbers(e.evidence_old),
                _numbers(e.evidence_new),
            ]
        )
    return _table(headers, rows)


def format_diff_table(diff: EditionDiff) -> str:
    """A readable terminal report: every organization section, then what changed elsewhere."""
    lines = [f"Changes from {diff.old} to {diff.new}"]
    if diff.uncertain:
        lines.append("UNCERTAIN: extraction looks degraded; events marked ? may be wrong:")
        lines.extend(f"  - {reason}" for reason in diff.uncertain_reasons)
    lines += _section_lines(diff)
    lines += _other_lines(diff)
    if not diff.changed_events:
        lines += ["", "No changes."]
    else:
        lines += [
            "",
            "Changes are appeared, vanished, grew, shrank or unchanged, with their words when "
            "the counts moved apart (docs/changes.md)"
            + ("; ! marks a material change." if any(e.material for e in diff.events) else "."),
        ]
    return "\n".join(lines)


def _section_lines(diff: EditionDiff) -> list[str]:
    """The tables of organization sections and of sections known by their heading alone."""
    lines: list[str] = []
    for title, group in (
        ("Organizations (sections)", "organizations"),
        ("Sections (headings naming no organization)", "sections"),
    ):
        events = _sections(diff, group)
        if events:
            lines += ["", title]
            lines += _section_table(events, "id" if group == "organizations" else "heading")
    return lines


def _of_headed_section(event: ChangeEvent, headings: Mapping[str, str]) -> bool:
    """Whether the event's subject belongs to a section known by its heading alone."""
    return event.subject.partition("|")[0] in headings


def _other_subject(event: ChangeEvent, headings: Mapping[str, str]) -> str:
    """An area of a headed section by its area and heading; any other subject with its name."""
    if event.kind == "organization_area" and _of_headed_section(event, headings):
        key, _, area = event.subject.partition("|")
        return f"{area} ({_short(headings[key])})"
    return event.subject if not event.name else f"{event.subject} ({_short(event.name)})"


def _other_lines(diff: EditionDiff) -> list[str]:
    """The tables of what changed beside the sections: mentions, areas, partnerships, citations."""
    headings = _headings_of_sections(diff)
    lines: list[str] = []
    for title, kind, keep in (
        ("Mentions", "mention", None),
        ("Cooperation areas", "area", None),
        ("Areas per organization (changed)", "organization_area", False),
        ("Areas per section (changed)", "organization_area", True),
        ("Partnerships (organization|UN entity)", "partnership", None),
        ("Citations", "citation", None),
    ):
        events = [
            e
            for e in _of_kind(diff, kind)
            if (e.change != "unchanged" or kind == "area")
            and (keep is None or _of_headed_section(e, headings) == keep)
        ]
        if not events:
            continue
        lines += ["", title]
        lines += _table(
            ["change", "subject", "paragraphs", "evidence old", "evidence new"],
            [
                [
                    _change(e),
                    _other_subject(e, headings),
                    f"{len(e.evidence_old)} -> {len(e.evidence_new)}",
                    _numbers(e.evidence_old),
                    _numbers(e.evidence_new),
                ]
                for e in events
            ],
        )
    return lines
