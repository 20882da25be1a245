"""Golden diffs on the real editions shipped in corpus/: 2018 -> 2022, an edition against
itself, and the 2022 text with known edits.

How the expected values were checked by reading: in corpus/A-73-328_fr.md (one paragraph a
line) and corpus/A-77-277_fr.pdf.txt (headings indented by spaces), each organization's
sub-heading line was found and the first and last numbered paragraph under it, up to the
next sub-heading or roman chapter, were read off (`grep -n` on the heading and on
`^<n>\\. `). The "still mentioned" evidence was read the same way, searching the 2022 text
for `OIM` / `Organisation internationale pour les migrations`, `armes chimiques` and
`Traité d’interdiction complète`.

Issue 30 changed three expectations on purpose, each checked against the text: the 2018
chapter III heading ("Coopération entre l'Organisation des Nations Unies et l'Organisation pour
l'interdiction des armes chimiques ; coopération entre l'Organisation des Nations Unies et la
Commission préparatoire de l'Organisation du Traité d'interdiction complète des essais
nucléaires", ¶ 95-96) is one joint section, so it vanishes once, known by its heading and still
mentioned where 2022 names either organization (¶ 23, 80, 87, 95); and organizations named in
both editions now say whether the paragraphs naming them grew or shrank: IOM is named in 2018
¶ 56-57 and in seven 2022 paragraphs (grew), the OPCW ("OIAC") in 2018 ¶ 95-96 and 2022 ¶ 80
(shrank), the CTBTO Preparatory Commission in 2018 ¶ 95 only (¶ 96 says "les deux entités") and
2022 ¶ 23, 87, 95 (grew).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from extractors.enrich.enrich_report import enrich_report
from extractors.model import Report
from extractors.report.report_parser import parse_report_bytes
from tests.conftest import EDITION_2022, SYMBOL_2022
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.diff_text import diff_to_json
from warehouse.diff.edition_diff import diff_editions
from warehouse.diff.growth import DEFAULT_RULES
from warehouse.diff.snapshot import normalize_heading

# Organization id -> (first, last) paragraph of its section, read in each edition.
SECTIONS_2018 = {
    "AU": (4, 13), "AALCO": (14, 14), "ASEAN": (15, 20), "BSEC": (21, 23),
    "CARICOM": (24, 26), "CEI": (27, 28), "CSTO": (29, 32), "CIS": (33, 35),
    "CPLP": (36, 39), "COE": (40, 44), "ECCAS": (45, 46), "ECO": (47, 49),
    "INTERPOL": (50, 52), "IFAS": (53, 55), "IOM": (56, 57), "OIF": (58, 62),
    "SELA": (63, 63), "LAS": (64, 72), "GUAM": (73, 74), "OSCE": (75, 77),
    "OAS": (78, 80), "OIC": (81, 85), "PIF": (86, 89), "SCO": (90, 94),
    # Chapter III, on OPCW and the CTBTO Preparatory Commission, has no sub-heading: one
    # joint section, known by its heading.
    "JOINT": (95, 96),
}  # fmt: skip
JOINT_HEADING = normalize_heading(
    "Coopération entre l'Organisation des Nations Unies et l'Organisation pour l'interdiction "
    "des armes chimiques ; coopération entre l'Organisation des Nations Unies et la Commission "
    "préparatoire de l'Organisation du Traité d'interdiction complète des essais nucléaires"
)
JOINT = "heading:" + JOINT_HEADING
SECTIONS_2022 = {
    "AU": (5, 32), "AALCO": (33, 35), "ASEAN": (36, 47), "BSEC": (48, 49),
    "CARICOM": (50, 56), "CEI": (57, 57), "CSTO": (58, 61), "CIS": (62, 65),
    "COE": (66, 70), "ECCAS": (71, 76), "ECO": (77, 79), "INTERPOL": (80, 82),
    "IFAS": (83, 84), "OIF": (85, 88), "SELA": (89, 89), "LAS": (90, 99),
    "GUAM": (100, 100), "OECD": (101, 105), "OSCE": (106, 111), "OAS": (112, 114),
    "OIC": (115, 118), "PIF": (119, 121), "SCO": (122, 124),
}  # fmt: skip
# Counts from the ranges above under the default rule (>= 25% and >= 1 paragraph).
CHANGES_2018_2022 = {
    "AU": "grew", "AALCO": "grew", "ASEAN": "grew", "BSEC": "shrank", "CARICOM": "grew",
    "CEI": "shrank", "CSTO": "unchanged", "CIS": "grew", "COE": "unchanged", "ECCAS": "grew",
    "ECO": "unchanged", "INTERPOL": "unchanged", "IFAS": "shrank", "OIF": "unchanged",
    "SELA": "unchanged", "LAS": "unchanged", "GUAM": "shrank", "OSCE": "grew",
    "OAS": "unchanged", "OIC": "unchanged", "PIF": "shrank", "SCO": "shrank",
    "OECD": "appeared", "CPLP": "vanished", "IOM": "section_vanished_still_mentioned",
    JOINT: "section_vanished_still_mentioned",
}  # fmt: skip
STILL_NAMED_2022 = {
    "IOM": (30, 75, 81, 99, 103, 110, 120),
    # OPCW: ¶ 80 "l'Organisation pour l'interdiction des armes chimiques"; CTBTO: ¶ 23, 87, 95
    # "(Commission préparatoire de) l'Organisation du Traité ...".
    JOINT: (23, 80, 87, 95),
}
# Organizations named in both editions whose count of paragraphs naming them moved by the
# growth rule (read with grep on each organization's names and acronyms in both texts).
MENTION_COUNTS = {"IOM": ("grew", 2, 7), "OPCW": ("shrank", 2, 1), "CTBTO": ("grew", 1, 3)}


def _span(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


@pytest.fixture(scope="module")
def enriched_2018(report_2018: Report) -> Report:
    return enrich_report(report_2018)


@pytest.fixture(scope="module")
def enriched_2022(report_2022: Report) -> Report:
    return enrich_report(report_2022)


@pytest.fixture(scope="module")
def diff_2018_2022(enriched_2018: Report, enriched_2022: Report) -> EditionDiff:
    return diff_editions(enriched_2018, enriched_2022)


def test_real_editions_section_outcomes(diff_2018_2022: EditionDiff) -> None:
    assert (diff_2018_2022.old, diff_2018_2022.new) == ("A/73/328", "A/77/277")
    assert not diff_2018_2022.uncertain
    events = [e for e in diff_2018_2022.events if e.kind == "organization"]
    assert {e.subject: e.change for e in events} == CHANGES_2018_2022
    assert len(events) == len(CHANGES_2018_2022)  # GUAM's dash change is no rename
    joint = next(e for e in events if e.subject == JOINT)
    assert joint.organizations == ("OPCW", "CTBTO")
    assert normalize_heading(joint.name or "") == JOINT_HEADING


def test_real_editions_paragraph_counts_and_evidence(diff_2018_2022: EditionDiff) -> None:
    for event in (e for e in diff_2018_2022.events if e.kind == "organization"):
        key = "JOINT" if event.subject == JOINT else event.subject
        old = _span(*SECTIONS_2018[key]) if key in SECTIONS_2018 else ()
        new = _span(*SECTIONS_2022[event.subject]) if event.subject in SECTIONS_2022 else ()
        assert event.evidence_old == old, event.subject
        assert (event.old_count, event.new_count) == (len(old), len(new)), event.subject
        if event.change == "section_vanished_still_mentioned":
            assert event.evidence_new == STILL_NAMED_2022[event.subject]
        else:
            assert event.evidence_new == new, event.subject


def test_real_editions_mentions_and_citations(diff_2018_2022: EditionDiff) -> None:
    changed = {(e.subject, e.change) for e in diff_2018_2022.events if e.kind == "mention"}
    assert ("OECD", "first_named") in changed
    assert ("CPLP", "no_longer_named") in changed
    assert not {s for s, c in changed if c in ("first_named", "no_longer_named")} & {
        "IOM",
        "OPCW",
        "CTBTO",
    }
    counts = {
        e.subject: (e.change, e.old_count, e.new_count)
        for e in diff_2018_2022.events
        if e.kind == "mention" and e.subject in MENTION_COUNTS
    }
    assert counts == MENTION_COUNTS
    citations = {(e.subject, e.change) for e in diff_2018_2022.events if e.kind == "citation"}
    # Each edition cites the one before it (2018 ¶ 3 cites A/71/160; 2022 cites A/75/345):
    # an edition citing its predecessor is no change.
    assert not {s for s, _ in citations} & {"A/71/160", "A/75/345", "A/73/328"}
    assert ("S/RES/1540(2004)", "added") not in citations  # cited by both


def test_real_editions_json_has_every_section(diff_2018_2022: EditionDiff) -> None:
    data = diff_to_json(diff_2018_2022)
    oecd = next(o for o in data["organizations"] if o["id"] == "OECD")
    assert oecd["change"] == "appeared"
    assert oecd["evidence"] == {"old": [], "new": [101, 102, 103, 104, 105]}
    assert oecd["name"] == "Organisation de coopération et de développement économiques"


def test_an_edition_against_itself_has_no_changes(enriched_2022: Report) -> None:
    diff = diff_editions(enriched_2022, enriched_2022)
    assert diff.changed_events == ()
    assert not diff.uncertain
    assert all(not (r.added or r.removed or r.moved) for r in diff.redlines)


# --- the 2022 text with known edits -------------------------------------------------------

_PARAGRAPH_START = re.compile(r"^(\s*)(\d+)\.(?=\s)")
_ADDED_SECTION = (
    "Communauté des pays de langue portugaise",
    [
        "La Communauté des pays de langue portugaise a tenu sa réunion annuelle de "
        "coordination avec le Secrétariat à New York en juillet 2021.",
        "Les deux secrétariats ont échangé des informations sur leurs programmes de "
        "travail respectifs.",
    ],
)


@dataclass
class _Line:
    text: str
    origin: int | None  # the 2022 paragraph number this line starts, if any


def _tag_lines(text: str) -> list[_Line]:
    """Lines of the 2022 text, paragraph starts tagged by scanning for 1., 2., … in turn
    (a wrapped line may begin with a year such as `2021. `; a few starts are indented)."""
    lines, expected = [], 1
    for line in text.split("\n"):
        match = _PARAGRAPH_START.match(line)
        if match and int(match.group(2)) == expected:
            lines.append(_Line(line, expected))
            expected += 1
        else:
            lines.append(_Line(line, None))
    return lines


def _find(lines: list[_Line], heading: str) -> int:
    key = normalize_heading(heading)
    return next(i for i, line in enumerate(lines) if normalize_heading(line.text) == key)


def _start(lines: list[_Line], number: int) -> int:
    return next(i for i, line in enumerate(lines) if line.origin == number)


def _section_span(lines: list[_Line], original: Report, heading: str) -> tuple[int, int]:
    """Line indexes of a section: its heading line up to the next section's heading line."""
    keys = [normalize_heading(s.heading) for s in original.sections]
    following = original.sections[keys.index(normalize_heading(heading)) + 1].heading
    return _find(lines, heading), _find(lines, following)


def _edited_2022(original: Report) -> tuple[bytes, dict[int, int | None]]:
    """The 2022 text with IFAS removed, a CPLP section added, ECO doubled, OSCE halved and
    the LAS heading renamed; returns the text and new paragraph number -> 2022 number."""
    lines = _tag_lines(EDITION_2022.read_text(encoding="utf-8"))

    _, eco_end = _section_span(lines, original, "Organisation de coopération économique")
    copies = [_Line(x.text, x.origin) for x in lines[_start(lines, 77) : eco_end]]
    lines[eco_end:eco_end] = copies

    _, osce_end = _section_span(
        lines, original, "Organisation pour la sécurité et la coopération en Europe"
    )
    del lines[_start(lines, 109) : osce_end]

    closing = _find(lines, "III. Observations et recommandations")
    heading, texts = _ADDED_SECTION
    added = [_Line(f"  {heading} ", None), _Line("", None)]
    for text in texts:
        added += [_Line(f"0. {text} ", -1), _Line("", None)]
    lines[closing:closing] = added

    ifas_start, ifas_end = _section_span(
        lines, original, "Fonds international pour le sauvetage de la mer d’Aral"
    )
    del lines[ifas_start:ifas_end]

    lines[_find(lines, "Ligue des États arabes")] = _Line("   Ligue arabe ", None)

    origins: dict[int, int | None] = {}
    for line in lines:
        if line.origin is not None:
            number = len(origins) + 1
            origins[number] = line.origin if line.origin > 0 else None
            line.text = _PARAGRAPH_START.sub(rf"\g<1>{number}.", line.text, count=1)
    return "\n".join(line.text for line in lines).encode("utf-8"), origins


@pytest.fixture(scope="module")
def edited_2022(report_2022: Report) -> tuple[Report, dict[int, int | None]]:
    data, origins = _edited_2022(report_2022)
    parsed = parse_report_bytes(data, name="A-77-277_fr.edited.txt", symbol=SYMBOL_2022)
    return enrich_report(parsed), origins


_REMOVED = {83, 84, 109, 110, 111}  # IFAS's section and OSCE's second half
_DOUBLED = (77, 78, 79)  # ECO's section, copied once


def _owners(report: Report, number: int) -> set[str]:
    paragraph = next(p for p in report.paragraphs if p.number == number)
    owners = set(paragraph.organizations)
    if paragraph.section_index is not None:
        owners.update(report.sections[paragraph.section_index].organizations)
    return owners


def _expected_side_effects(original: Report) -> set[tuple[str, str, str]]:
    """Mention, partnership, citation and area events the edits must cause, worked out by
    set arithmetic on the original paragraphs (what the removed ones alone carried)."""
    expected: set[tuple[str, str, str]] = set()
    kept = [p for p in original.paragraphs if p.number not in _REMOVED]
    gone = [p for p in original.paragraphs if p.number in _REMOVED]

    def pairs(paragraphs):
        return {
            f"{o}|{e}"
            for p in paragraphs
            for o in _owners(original, p.number)
            for e in p.un_entities
        }

    expected |= {("partnership", s, "vanished") for s in pairs(gone) - pairs(kept)}
    named_kept = {o for p in kept for o in _owners(original, p.number)}
    named_gone = {o for p in gone for o in _owners(original, p.number)}
    expected |= {("mention", o, "no_longer_named") for o in named_gone - named_kept}
    cited_kept = {c for p in kept for c in p.citations}
    expected |= {("citation", c, "removed") for p in gone for c in p.citations} - {
        ("citation", c, "removed") for c in cited_kept
    }

    def area_counts(paragraphs, extra=()):
        counts: dict[str, int] = {}
        for p in [*paragraphs, *extra]:
            for area in {tag.id for tag in p.areas}:
                counts[area] = counts.get(area, 0) + 1
        return counts

    # Areas are judged on their share of the edition (128 paragraphs before and after the
    # edits) and, per organization, of the organization's section.
    copies = [p for p in original.paragraphs if p.number in _DOUBLED]
    total_before = len(original.paragraphs)
    total_after = len(kept) + len(copies) + len(_ADDED_SECTION[1])
    before, after = area_counts(original.paragraphs), area_counts(kept, copies)
    for area in set(before) | set(after):
        old, new = before.get(area, 0), after.get(area, 0)
        change = (
            "vanished"
            if not new
            else DEFAULT_RULES.classify_share(old, total_before, new, total_after)
        )
        if change != "unchanged":
            expected.add(("area", area, change))
    eco_before, eco_after = area_counts(copies), area_counts(copies, copies)
    for area, old in eco_before.items():
        # Doubling every paragraph of a section keeps each area's share: unchanged.
        change = DEFAULT_RULES.classify_share(old, len(copies), eco_after[area], 2 * len(copies))
        if change != "unchanged":
            expected.add(("organization_area", f"ECO|{area}", change))
    osce = [p for p in original.paragraphs if 106 <= p.number <= 111]
    osce_kept = [p for p in osce if p.number not in _REMOVED]
    osce_before, osce_after = area_counts(osce), area_counts(osce_kept)
    for area, old in osce_before.items():
        new = osce_after.get(area, 0)
        change = (
            "vanished"
            if not new
            else DEFAULT_RULES.classify_share(old, len(osce), new, len(osce_kept))
        )
        if change != "unchanged":
            expected.add(("organization_area", f"OSCE|{area}", change))
    return expected


def test_edited_2022_yields_exactly_the_edits(
    enriched_2022: Report, edited_2022: tuple[Report, dict[int, int | None]]
) -> None:
    edited, origins = edited_2022
    assert edited.warnings == ()  # the edited text parses cleanly, numbering 1..128
    added = [p for p in edited.paragraphs if origins[p.number] is None]
    assert [p.number for p in added] == [123, 124]
    assert all(not (p.un_entities or p.areas or p.citations) for p in added)

    diff = diff_editions(enriched_2022, edited)
    assert not diff.uncertain
    expected = {
        ("organization", "IFAS", "vanished"),
        ("organization", "CPLP", "appeared"),
        ("organization", "ECO", "grew"),
        ("organization", "OSCE", "shrank"),
        ("organization", "LAS", "renamed"),
        ("mention", "IFAS", "no_longer_named"),
        ("mention", "CPLP", "first_named"),
        # Copying ECO's ¶ 77-79 doubles the paragraphs naming ECO and the IsDB (named in ¶ 79
        # only); cutting OSCE's ¶ 109-111 leaves fewer paragraphs naming the OSCE.
        ("mention", "ECO", "grew"),
        ("mention", "ISDB", "grew"),
        ("mention", "OSCE", "shrank"),
    } | _expected_side_effects(enriched_2022)
    assert {(e.kind, e.subject, e.change) for e in diff.changed_events} == expected
    assert len(diff.changed_events) == len(expected)

    events = {(e.kind, e.subject): e for e in diff.events if e.kind == "organization"}
    assert events["organization", "IFAS"].evidence_old == (83, 84)
    assert events["organization", "ECO"].evidence_new == _span(77, 82)
    assert events["organization", "OSCE"].evidence_new == _span(107, 109)
    assert events["organization", "CPLP"].evidence_new == (123, 124)
    las = events["organization", "LAS"]
    assert (las.old_name, las.name) == ("Ligue des États arabes", "Ligue arabe")
    assert (las.old_count, las.new_count) == (10, 10)


def test_edited_2022_redlines(
    enriched_2022: Report, edited_2022: tuple[Report, dict[int, int | None]]
) -> None:
    redlines = {r.organization: r for r in diff_editions(enriched_2022, edited_2022[0]).redlines}
    assert not (redlines["LAS"].added or redlines["LAS"].removed or redlines["LAS"].moved)
    eco = redlines["ECO"]
    assert eco.removed == () and eco.moved == ()
    eco_text = " ".join(p.text for p in enriched_2022.paragraphs if p.number in _DOUBLED)
    assert eco.added and all(sentence in eco_text for sentence in eco.added)
    osce = redlines["OSCE"]
    assert osce.added == () and osce.removed
    gone = " ".join(p.text for p in enriched_2022.paragraphs if p.number in {109, 110, 111})
    assert all(sentence in gone for sentence in osce.removed)
    assert "IFAS" not in redlines and "CPLP" not in redlines
