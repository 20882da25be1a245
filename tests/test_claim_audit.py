"""Every claim the digest and the report make about the real pair (A/73/328 -> A/77/277),
re-derived without the tagger and checked.

What a claim is: each item of the digest's context, which both the email and the report
render: a section that appeared, vanished, grew or shrank, and an area or organization-area
change with its material flag. How each is re-derived:

- sections, from the paragraph ranges read off the two texts by hand (SECTIONS_2018 and
  SECTIONS_2022 in tests/test_diff_golden.py, each range checked by reading the headings) and
  the growth rule of docs/changes.md;
- areas and organization areas, from tests/fixtures/knowledge/area_sample.json (every
  paragraph of both editions labelled by reading, without the tagger's output), with the
  paragraphs placed in sections by the same hand-read ranges, judged with the same share and
  materiality rules (warehouse/diff/growth.py, warehouse/diff/materiality.py).

A claim is contradicted when the labels give no such change or the opposite one (grew against
shrank, appeared against none), or when it is flagged material and the labels' change is not.
None may be: any contradiction fails the test. (The five the tagger once made, each on a
held-out paragraph, were fixed in the reference data and those paragraphs moved to the tuning
set: A/73/328 ¶81, A/77/277 ¶77, ¶93, ¶95 and ¶109.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from test_diff_golden import JOINT, SECTIONS_2018, SECTIONS_2022

from bench.bench_areas import expected_areas, load_sample
from extractors.enrich.enrich_report import enrich_report
from extractors.enrich.reference_data import load_reference
from notify.digest import EMAIL_LIMITS, build_digest, limit_view, paragraph_ranges
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.edition_diff import diff_editions
from warehouse.diff.growth import DEFAULT_RULES
from warehouse.diff.materiality import Share, default_materiality, judge

OLD, NEW = "A/73/328", "A/77/277"
TOTALS = {OLD: 101, NEW: 128}


@dataclass(frozen=True)
class Derived:
    """A unit's change as the labels and the hand-read sections give it."""

    family: str
    material: bool
    old: tuple[int, ...]
    new: tuple[int, ...]


class Labels:
    """The labelled paragraphs, placed in the hand-read sections."""

    def __init__(self) -> None:
        reference = load_reference()
        rows = load_sample()
        self.areas = {
            (row["edition"], row["paragraph"]): expected_areas(row["areas"], reference)
            for row in rows
        }
        self.words = {(row["edition"], row["paragraph"]): len(row["text"].split()) for row in rows}
        self.materiality = default_materiality()

    @staticmethod
    def section_of(edition: str, number: int) -> str | None:
        ranges = SECTIONS_2018 if edition == OLD else SECTIONS_2022
        for key, (first, last) in ranges.items():
            if first <= number <= last:
                return JOINT if key == "JOINT" else key
        return None

    def paragraphs(self, edition: str, section: str | None) -> list[int]:
        return [
            n
            for (e, n) in self.areas
            if e == edition and (section is None or self.section_of(e, n) == section)
        ]

    def derive(self, kind: str, subject: str) -> Derived:
        """The change of an area (`kind` area) or an organization's area, from the labels."""
        section, _, area = subject.rpartition("|")
        scope = section or None
        tagged = {
            edition: tuple(
                n for n in self.paragraphs(edition, scope) if area in self.areas[edition, n]
            )
            for edition in TOTALS
        }
        bases = {edition: self.paragraphs(edition, scope) for edition in TOTALS}
        old, new = tagged[OLD], tagged[NEW]
        if not old and not new:
            family = "none"
        elif not old:
            family = "appeared"
        elif not new:
            family = "vanished"
        else:
            family = DEFAULT_RULES.classify_share(
                len(old), len(bases[OLD]), len(new), len(bases[NEW])
            )
        share = Share(
            old_count=len(old),
            old_total=len(bases[OLD]),
            new_count=len(new),
            new_total=len(bases[NEW]),
            old_words=self._words(OLD, old),
            old_total_words=self._words(OLD, bases[OLD]),
            new_words=self._words(NEW, new),
            new_total_words=self._words(NEW, bases[NEW]),
        )
        verdict = judge(
            share, self.materiality.rule(kind), changed=family not in ("unchanged", "none")
        )  # type: ignore[arg-type]
        return Derived(family, bool(verdict.material), old, new)

    def _words(self, edition: str, numbers: Iterable[int]) -> int:
        return sum(self.words[edition, n] for n in numbers)


OPPOSITE = {
    "grew": {"shrank", "vanished", "none"},
    "appeared": {"shrank", "vanished", "none"},
    "shrank": {"grew", "appeared", "none"},
    "vanished": {"grew", "appeared", "none"},
}


def contradiction(claim: dict[str, Any], derived: Derived) -> str | None:
    """Why the labels contradict a claim, or None."""
    if derived.family in OPPOSITE[claim["family"]]:
        return f"claims {claim['family']}, the labels give {derived.family}"
    if claim["material"] and not (derived.material and derived.family == claim["family"]):
        return (
            f"claims a material {claim['family']}, the labels give {derived.family}, not material"
        )
    return None


@pytest.fixture(scope="module")
def diff(report_2018, report_2022) -> EditionDiff:
    reference = load_reference()
    return diff_editions(
        enrich_report(report_2018, reference), enrich_report(report_2022, reference)
    )


@pytest.fixture(scope="module")
def digest(diff: EditionDiff):
    return build_digest(diff, trajectory={}, names={})


def claims_of(context: dict[str, Any], groups_key: str = "items") -> list[dict[str, Any]]:
    """The change claims a context makes: its news and its groups' items (all of them in the
    report, those shown in the email), one per (kind, subject)."""
    items = list(context["news"])
    for group in context["groups"]:
        items.extend(group[groups_key])
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for item in items:
        if (
            item["kind"] in ("organization", "area", "organization_area")
            and item["family"] in OPPOSITE
        ):
            seen.setdefault((item["kind"], item["subject"]), item)
    return list(seen.values())


@pytest.fixture(scope="module")
def report_claims(digest) -> list[dict[str, Any]]:
    return claims_of(digest.context)


@pytest.fixture(scope="module")
def email_claims(digest) -> list[dict[str, Any]]:
    return claims_of(limit_view(digest.context, EMAIL_LIMITS), "shown")


def _range(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


def test_every_section_claim_matches_the_sections_read_in_the_text(report_claims) -> None:
    sections = [c for c in report_claims if c["kind"] == "organization"]
    assert sections
    old_ranges = {JOINT if k == "JOINT" else k: _range(*v) for k, v in SECTIONS_2018.items()}
    new_ranges = {k: _range(*v) for k, v in SECTIONS_2022.items()}
    for claim in sections:
        old, new = old_ranges.get(claim["subject"], ()), new_ranges.get(claim["subject"], ())
        expected = (
            "appeared"
            if not old
            else "vanished"
            if not new
            else DEFAULT_RULES.classify(len(old), len(new))
        )
        assert claim["family"] == expected, claim["subject"]
        assert claim["old"].startswith(f"{len(old)} paragraph"), claim["subject"]
        assert claim["new"].startswith(f"{len(new)} paragraph"), claim["subject"]
        assert claim["evidence_old"] == paragraph_ranges(old), claim["subject"]
        if claim["change"] != "vanished (section vanished, still named)":
            assert claim["evidence_new"] == paragraph_ranges(new), claim["subject"]
    families = sorted(c["family"] for c in sections)
    assert families.count("appeared") == 1 and families.count("vanished") == 3


def test_the_joint_chapter_is_one_vanished_section_linked_to_both_organizations(
    report_claims, digest
) -> None:
    joint = [c for c in report_claims if c["kind"] == "organization" and c["subject"] == JOINT]
    assert len(joint) == 1
    (claim,) = joint
    assert claim["family"] == "vanished" and claim["short"] == "OPCW + CTBTO"
    assert "(OPCW)" in claim["label"] and "(CTBTO)" in claim["label"]
    assert claim["old"].startswith("2 paragraphs") and claim["evidence_old"] == "95–96"
    assert not [
        c
        for c in report_claims
        if c["kind"] == "organization" and c["subject"] in ("OPCW", "CTBTO")
    ]
    assert "3 sections vanished (CPLP, IOM, OPCW + CTBTO)" in digest.subject


def test_no_area_claim_is_contradicted_by_the_labelled_paragraphs(report_claims) -> None:
    labels = Labels()
    judged = [c for c in report_claims if c["kind"] in ("area", "organization_area")]
    assert len(judged) > 50
    contradicted = {}
    for claim in judged:
        why = contradiction(claim, labels.derive(claim["kind"], claim["subject"]))
        if why:
            contradicted[claim["subject"]] = why
    assert not contradicted, contradicted


def test_every_material_area_claim_holds_on_the_labels(report_claims) -> None:
    labels = Labels()
    material = [c for c in report_claims if c["kind"] == "area" and c["material"]]
    assert {c["subject"] for c in material} == {
        "health",
        "electoral_assistance",
        "climate_environment",
        "counter_terrorism",
    }
    for claim in material:
        derived = labels.derive("area", claim["subject"])
        assert (derived.family, derived.material) == (claim["family"], True), claim["subject"]


def test_no_claim_the_email_makes_is_contradicted(email_claims) -> None:
    labels = Labels()
    assert email_claims
    for claim in email_claims:
        if claim["kind"] == "organization":
            continue  # checked against the sections above
        assert contradiction(claim, labels.derive(claim["kind"], claim["subject"])) is None, claim


def test_interpol_counter_terrorism_is_no_material_loss(report_claims, diff) -> None:
    # A/77/277 ¶ 80: "a participé à toutes les visites d'évaluation du Comité contre le
    # terrorisme ... le Bureau de lutte contre le terrorisme et INTERPOL ont lancé une étude
    # conjointe": counter-terrorism, by reading; the old digest said "shrank, material (3 -> 1)".
    event = next(e for e in diff.events if e.subject == "INTERPOL|counter_terrorism")
    assert 80 in event.evidence_new
    assert not event.material
    derived = Labels().derive("organization_area", "INTERPOL|counter_terrorism")
    assert 80 in derived.new
    claim = next((c for c in report_claims if c["subject"] == "INTERPOL|counter_terrorism"), None)
    if claim is not None:
        assert contradiction(claim, derived) is None


def test_no_change_word_contradicts_the_counts_beside_it(diff) -> None:
    for event in diff.events:
        detail = event.change_detail
        if ":" in detail:
            continue  # the detail says how the counts moved
        old, new = event.old_count or 0, event.new_count or 0
        if event.family == "grew":
            assert new > old, event
        elif event.family == "shrank":
            assert new < old, event
        elif event.change == "unchanged":
            assert new == old, event


def test_coopwatch_diff_prints_the_same_words_as_the_digest(diff, report_claims) -> None:
    from warehouse.diff.diff_text import diff_to_json, format_diff_table

    table = format_diff_table(diff)
    rows = table.splitlines()
    sections = [c for c in report_claims if c["kind"] == "organization"]
    for claim in sections:
        # The table's change column is the digest's change word (the news merges in the
        # mention's "no longer named"; the table keeps that on its own line).
        word = claim["change"].split(";")[0].rstrip(")") + (")" if "(" in claim["change"] else "")
        assert any(line.startswith(word) and f"  {claim['short']}  " in line for line in rows), word
    assert "shrank: fewer paragraphs, more words" in table  # PIF 4 -> 3 paragraphs, 420 -> 440
    data = diff_to_json(diff)
    pif = next(o for o in data["organizations"] if o["id"] == "PIF")
    assert (pif["family"], pif["change_detail"]) == (
        "shrank",
        "shrank: fewer paragraphs, more words",
    )
    joint = next(o for o in data["organizations"] if o["id"] == JOINT)
    assert joint["organizations"] == ["OPCW", "CTBTO"] and joint["family"] == "vanished"
