"""The change email and report of the real 2018 -> 2022 pair, after one nightly run on the
bundled editions: what is material leads, the rest stays in the warehouse and the report."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import duckdb
import pytest

from extractors.enrich.reference_data import load_reference
from flows.nightly import nightly
from notify.digest import paragraph_ranges

OLD, NEW = "A/73/328", "A/77/277"


@pytest.fixture(scope="module")
def run(tmp_path_factory, prefect_harness) -> Path:
    """One cold run into a scratch folder (a few seconds), shared by the checks below."""
    folder = tmp_path_factory.mktemp("material")
    nightly(
        source="bundled",
        db_path=str(folder / "cw.duckdb"),
        outbox_dir=str(folder / "outbox"),
        reports_dir=str(folder / "reports"),
    )
    return folder


@pytest.fixture(scope="module")
def plain(run: Path) -> str:
    (path,) = (run / "outbox").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


@pytest.fixture(scope="module")
def events(run: Path) -> list[tuple]:
    con = duckdb.connect(str(run / "cw.duckdb"), read_only=True)
    try:
        return con.execute(
            "SELECT kind, subject, change, is_material, score, evidence_old, evidence_new, "
            "phrases_old, phrases_new FROM change_events "
            "WHERE old_symbol = ? AND new_symbol = ? ORDER BY event_index",
            [OLD, NEW],
        ).fetchall()
    finally:
        con.close()


def _group(text: str, title: str) -> str:
    """The lines of one group of the plain part, up to the next upper-case title."""
    start = text.index(f"\n{title} (")
    following = re.search(r"\n[A-Z][A-Z ]+( \(\d+\))?\n", text[start + 1 :])
    return text[start : start + 1 + following.start()] if following else text[start:]


def test_the_plain_part_fits_and_its_first_screen_is_the_material_news(
    plain: str, events: list[tuple]
) -> None:
    lines = plain.splitlines()
    assert len(lines) <= 100
    first_screen = "\n".join(lines[:20])
    assert "(OECD): appeared (new section" in first_screen
    assert "(CPLP): vanished (section vanished" in first_screen
    # Every material area change, by its English name, with its evidence.
    names = {area.id: area.name_en for area in load_reference().areas}
    material = [e for e in events if e[0] == "area" and e[3]]
    assert material
    for _, subject, change, _, _, evidence_old, evidence_new, _, _ in material:
        line = next(
            i for i, text in enumerate(lines[:20]) if text.startswith(f"- {names[subject]} ")
        )
        assert f": {change}, material" in lines[line]
        assert f"{NEW} ¶ {paragraph_ranges(evidence_new)}" in lines[line + 1]
        assert f"{OLD} ¶ {paragraph_ranges(evidence_old)}" in lines[line + 1]
    # Nothing of the old first screen's noise: no overall similarity, no heading over nothing.
    assert "similar to" not in plain
    assert "PARTNERSHIPS" not in plain  # none is material on this pair
    # Each edition cites its predecessor: not a change.
    assert "A/71/160" not in plain and "A/75/345" not in plain


def test_at_most_half_the_areas_are_material(events: list[tuple]) -> None:
    areas = [e for e in events if e[0] == "area"]
    assert len(areas) == 26  # every area of the reference data occurs in one edition or both
    material = [e for e in areas if e[3]]
    assert 0 < len(material) <= len(areas) / 2
    assert all(e[3] is not None and e[4] is not None for e in areas)


def test_material_organization_areas_and_partnerships_are_few_and_shown_with_evidence(
    events: list[tuple], plain: str
) -> None:
    judged = [e for e in events if e[0] in ("organization_area", "partnership")]
    assert all(e[3] is not None for e in judged)  # every one kept, judged
    material = [e for e in judged if e[3]]
    assert len(material) <= 40
    items = _group(plain, "AREAS PER ORGANIZATION").split("\n- ")[1:]
    shown = [item for item in items if not item.startswith("…")]
    assert 0 < len(shown) <= 3
    for item in shown:
        assert ", material" in item.splitlines()[0]
        assert "evidence " in item


def test_the_report_shows_the_phrases_behind_each_material_area_change(
    run: Path, events: list[tuple]
) -> None:
    (markdown,) = (run / "reports").glob("*.md")
    text = markdown.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    material = [e for e in events if e[0] == "area" and e[3]]
    assert material
    for _, subject, _, _, _, _, _, phrases_old, phrases_new in material:
        row = next(r for r in rows if "**material**" in r and (phrases_new or phrases_old)[0] in r)
        if phrases_old:
            assert f"phrases {OLD}: {phrases_old[0]}" in row, subject
        if phrases_new:
            assert f"phrases {NEW}: {phrases_new[0]}" in row, subject
    # The report keeps every change, material or not.
    changed = [e for e in events if e[0] == "organization_area" and e[2] != "unchanged"]
    assert f"## Areas per organization ({len(changed)})" in text
