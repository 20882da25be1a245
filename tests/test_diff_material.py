"""What matters in a diff, on the real 2022 edition with one sub-area taken out and a new
topic put in: the removed sub-area vanishes with the removed paragraphs as evidence and, being
9 of 128 paragraphs, is material and leads the email; the new topic's area grows with the added
ones (four paragraphs on a 6-paragraph area move its share x1.7 with z 1.1: grown, not
material under warehouse/diff/materiality.yaml).

How the paragraphs were chosen, by reading corpus/A-77-277_fr.pdf.txt: every numbered
paragraph containing "élect" or "scrutin" was read; all but ¶79 and ¶87 ("lettre de voiture
électronique", "commerce électronique") speak of elections, so ¶8, 9, 15, 72, 85, 86, 91, 112
and 117 are the edition's paragraphs on electoral assistance, and none of them is the last of
its section (so removing one never takes a heading with it). The edition says nothing of
earthquakes or tsunamis (no "séisme", "tremblement de terre" or "tsunami" anywhere in it): the
four paragraphs added to the ASEAN section, before ¶47, are about that.
"""

from __future__ import annotations

import pytest

from extractors.enrich.enrich_report import enrich_report
from extractors.model import Report
from extractors.report.report_parser import parse_report_bytes
from notify.digest import build_digest
from tests.conftest import EDITION_2022, SYMBOL_2022
from tests.test_diff_golden import _PARAGRAPH_START, _Line, _start, _tag_lines
from warehouse.diff.change_events import ChangeEvent, EditionDiff
from warehouse.diff.edition_diff import diff_editions

ELECTORAL_2022 = (8, 9, 15, 72, 85, 86, 91, 112, 117)
INSERT_BEFORE = 47  # the last ASEAN paragraph
EARTHQUAKES = (
    "En 2021, le Bureau des Nations Unies pour la prévention des catastrophes et l'ASEAN ont "
    "organisé à Jakarta un exercice régional de simulation d'un séisme de forte magnitude.",
    "Les deux organisations ont aidé les États membres à relier leurs systèmes d'alerte aux "
    "tsunamis et à former les services de protection civile des zones côtières.",
    "Après le tremblement de terre qui a frappé la région en 2021, l'ONU et l'ASEAN ont évalué "
    "ensemble la solidité des écoles et des hôpitaux reconstruits.",
    "Un atlas commun des risques sismiques et des tsunamis a été publié en 2022 pour guider "
    "l'aménagement des villes côtières.",
)


def _edited_2022() -> tuple[bytes, dict[int, int | None]]:
    """The 2022 text without its electoral paragraphs and with the four earthquake
    paragraphs; returns it with new paragraph number -> 2022 number (None: added)."""
    lines = _tag_lines(EDITION_2022.read_text(encoding="utf-8"))
    spans = [(_start(lines, n), _start(lines, n + 1)) for n in ELECTORAL_2022]
    for start, end in reversed(spans):
        del lines[start:end]
    at = _start(lines, INSERT_BEFORE)
    added: list[_Line] = []
    for text in EARTHQUAKES:
        added += [_Line(f"0. {text} ", -1), _Line("", None)]
    lines[at:at] = added
    origins: dict[int, int | None] = {}
    for line in lines:
        if line.origin is not None:
            number = len(origins) + 1
            origins[number] = line.origin if line.origin > 0 else None
            line.text = _PARAGRAPH_START.sub(rf"\g<1>{number}.", line.text, count=1)
    return "\n".join(line.text for line in lines).encode("utf-8"), origins


@pytest.fixture(scope="module")
def edited() -> tuple[Report, dict[int, int | None]]:
    data, origins = _edited_2022()
    parsed = parse_report_bytes(data, name="A-77-277_fr.edited.txt", symbol=SYMBOL_2022)
    return enrich_report(parsed), origins


@pytest.fixture(scope="module")
def diff(report_2022: Report, edited: tuple[Report, dict[int, int | None]]) -> EditionDiff:
    return diff_editions(enrich_report(report_2022), edited[0])


def _event(diff: EditionDiff, kind: str, subject: str) -> ChangeEvent:
    return next(e for e in diff.events if e.kind == kind and e.subject == subject)


def test_the_edit_is_what_the_test_says(edited: tuple[Report, dict[int, int | None]]) -> None:
    report, origins = edited
    assert report.warnings == ()
    assert len(report.paragraphs) == 128 - len(ELECTORAL_2022) + len(EARTHQUAKES)
    kept = {origin for origin in origins.values() if origin is not None}
    assert kept.isdisjoint(ELECTORAL_2022)
    assert not any(tag.id == "electoral_assistance" for p in report.paragraphs for tag in p.areas)


def test_the_removed_sub_area_vanishes_with_the_removed_paragraphs_as_evidence(
    diff: EditionDiff,
) -> None:
    electoral = _event(diff, "area", "electoral_assistance")
    assert (electoral.change, electoral.level) == ("vanished", "sub_area")
    assert electoral.evidence_old == ELECTORAL_2022
    assert electoral.evidence_new == ()
    assert electoral.material is True
    assert electoral.phrases_old and electoral.phrases_new == ()
    assert "material" in (electoral.detail or "") and "9/128" in (electoral.detail or "")
    # Per organization too: the AU's section lost its electoral paragraphs (¶8, 9, 15).
    au = _event(diff, "organization_area", "AU|electoral_assistance")
    assert (au.change, au.evidence_old, au.evidence_new) == ("vanished", (8, 9, 15), ())


def test_the_new_topic_grows_its_area_with_the_added_paragraphs(
    diff: EditionDiff, edited: tuple[Report, dict[int, int | None]]
) -> None:
    _, origins = edited
    added = tuple(number for number, origin in origins.items() if origin is None)
    assert len(added) == len(EARTHQUAKES)
    disasters = _event(diff, "area", "disaster_risk_reduction")
    assert disasters.change in ("appeared", "grew")
    assert set(added) <= set(disasters.evidence_new)
    assert {"séisme", "tsunamis", "tremblement de terre"} <= set(disasters.phrases_new)
    assert disasters.old_share is not None and disasters.new_share is not None
    assert disasters.new_share > disasters.old_share
    assert disasters.material is False  # z 1.12, under the rule's 1.645
    asean = _event(diff, "organization_area", "ASEAN|disaster_risk_reduction")
    assert asean.change == "grew"
    assert set(added) <= set(asean.evidence_new)


def test_the_email_leads_with_the_material_area_changes(diff: EditionDiff) -> None:
    text = build_digest(diff, trajectory={}, names={}).text
    news = text.split("WHAT CHANGED")[1].split("\nEditions:")[0]
    first = news.split("\n- ")[1]
    assert first.startswith("Electoral assistance [sub-area]: vanished, material")
    assert "evidence A/77/277 ¶ 8–9, 15, 72, 85–86, 91, 112, 117" in first
