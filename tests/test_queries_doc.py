"""docs/queries.md cannot rot: every recipe runs on the warehouse the bundled run writes
(`coopwatch run --source bundled`, as `make run`), gives the answer the page prints, and
that answer agrees with the edition texts in corpus/ (read by tests/edition_texts.py, apart
from the product's parser)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from bundled_cli_run import BundledRun, shared_bundled_run
from edition_texts import (
    CORPUS_DIR,
    edition_headings,
    edition_paragraphs,
    fold,
    paragraphs_containing,
    section_numbers,
)
from query_recipes import Recipe, cells, recipes, table

OLD, NEW = "A/73/328", "A/77/277"
AU = "Union africaine"
SCO = "Organisation de Shanghai pour la coopération"
Rows = list[dict[str, Any]]

# The bundled run is `coopwatch run` in a subprocess: the integration tier.
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bundled() -> BundledRun:
    return shared_bundled_run()


def run_recipe(db: Path, recipe: Recipe, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Rows:
    """The recipe's rows as dicts, run read-only in `cwd` (where an export lands)."""
    monkeypatch.chdir(cwd)
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(recipe.sql)
        header = [column[0] for column in cursor.description]
        return [dict(zip(header, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _key(text: str) -> str:
    """A heading compared across editions: folded, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _sections(symbol: str) -> dict[str, list[int]]:
    """Heading key -> paragraphs of every organization section the edition prints (the
    closing "Observations et recommandations" chapter left out)."""
    return {
        _key(heading): section_numbers(symbol, heading)
        for heading in edition_headings(symbol).values()
        if "observations" not in fold(heading)
    }


def _in_au_section_or_naming_au(number: int) -> bool:
    text = edition_paragraphs(NEW)[number]
    return number in section_numbers(NEW, AU) or "union africaine" in fold(text)


def check_appeared_vanished(rows: Rows) -> None:
    old, new = _sections(OLD), _sections(NEW)
    expected = {("appeared", tuple(new[key])) for key in new.keys() - old.keys()}
    expected |= {("vanished", tuple(old[key])) for key in old.keys() - new.keys()}
    found = {
        (row["change"], tuple(row["new_paragraph_numbers"] or row["old_paragraph_numbers"]))
        for row in rows
    }
    assert found == expected


AREAS_FILE = CORPUS_DIR.parent / "extractors" / "enrich" / "reference" / "areas.yaml"


def _triggers(area_id: str) -> list[str]:
    """The area's French trigger phrases as the reference data lists them, folded."""
    (area,) = [
        a for a in yaml.safe_load(AREAS_FILE.read_text(encoding="utf-8")) if a["id"] == area_id
    ]
    return [fold(phrase.rstrip("*")) for phrase in area["triggers_fr"]]


def check_au_climate(rows: Rows) -> None:
    triggers = _triggers("climate_environment")
    assert rows
    for row in rows:
        text = fold(edition_paragraphs(NEW)[row["paragraph_number"]])
        assert _in_au_section_or_naming_au(row["paragraph_number"])
        assert any(re.search(rf"\b{re.escape(t)}", text) for t in triggers)
    # Every paragraph of the Union's section that speaks of the climate is among them.
    climate = [n for n in section_numbers(NEW, AU) if "climat" in fold(edition_paragraphs(NEW)[n])]
    assert set(climate) <= {row["paragraph_number"] for row in rows}


def check_area_shares(rows: Rows) -> None:
    totals = {2018: len(edition_paragraphs(OLD)), 2022: len(edition_paragraphs(NEW))}
    assert totals == {2018: 101, 2022: 128}
    for row in rows:
        for year in (2018, 2022):
            assert row[f"share_{year}"] == round(row[f"paragraphs_{year}"] / totals[year], 4)
        assert row["share_change"] == round(row["share_2022"] - row["share_2018"], 4)
    changes = [row["share_change"] for row in rows]
    assert changes == sorted(changes, reverse=True)


def _cited_core(symbol: str) -> str:
    """What the edition prints of a cited symbol: '72/273' of A/RES/72/273, '2524' of
    S/RES/2524(2020), '2016/621' of S/2016/621."""
    core = re.sub(r"^[AS]/(RES|PRST)/", "", symbol)
    core = re.sub(r"^[AS]/", "", core)
    return re.sub(r"\(\d{4}\)$", "", core)


def check_citations(rows: Rows) -> None:
    assert rows
    for row in rows:
        text = edition_paragraphs(row["symbol"])[row["paragraph_number"]]
        assert row["citation_count"] == len(row["citations"])
        for cited in row["citations"]:
            assert _cited_core(cited) in text.replace(" ", ""), (cited, row["paragraph_number"])


def check_sco_side_by_side(rows: Rows) -> None:
    olds = sorted(row["old_number"] for row in rows if row["old_number"] is not None)
    news = sorted(row["new_number"] for row in rows if row["new_number"] is not None)
    assert olds == section_numbers(OLD, SCO) and news == section_numbers(NEW, SCO)
    for row in rows:
        for side, symbol in (("old", OLD), ("new", NEW)):
            if row[f"{side}_number"] is not None:
                printed = fold(edition_paragraphs(symbol)[row[f"{side}_number"]])
                assert printed.startswith(fold(row[f"{side}_beginning"]))
    assert {row["status"] for row in rows} <= {"matched", "added", "removed"}


def check_au_partners(rows: Rows) -> None:
    assert rows
    for row in rows:
        assert row["paragraph_count"] == len(row["paragraph_numbers"])
        assert all(_in_au_section_or_naming_au(n) for n in row["paragraph_numbers"])


def _search(phrase: str) -> Callable[[Rows], None]:
    def check(rows: Rows) -> None:
        found = {(row["symbol"], row["paragraph_number"]) for row in rows}
        expected = {(s, n) for s in (OLD, NEW) for n in paragraphs_containing(s, phrase)}
        assert found == expected and found

    return check


def check_largest_sections(rows: Rows) -> None:
    sizes = {key: len(numbers) for key, numbers in _sections(NEW).items()}
    assert [row["paragraph_count"] for row in rows] == sorted(sizes.values(), reverse=True)[:5]
    for row in rows:
        assert sizes[_key(row["name_fr"])] == row["paragraph_count"]
        assert row["share_of_paragraphs"] == round(row["paragraph_count"] / 128, 4)


def check_au_named_elsewhere(rows: Rows) -> None:
    section = set(section_numbers(NEW, AU))
    expected = {
        n
        for n, text in edition_paragraphs(NEW).items()
        if n not in section and ("union africaine" in fold(text) or re.search(r"\bUA\b", text))
    }
    assert {row["paragraph_number"] for row in rows} == expected


def _bundled_editions() -> list[dict[str, Any]]:
    manifest = yaml.safe_load((CORPUS_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    return manifest["editions"]


def check_last_run(rows: Rows) -> None:
    editions = len(_bundled_editions())  # the corpus holds two editions and nothing else
    (row,) = rows
    assert (row["kind"], row["source"], row["status"]) == ("run", "bundled", "completed")
    assert row["fetched_count"] == row["gates_passed_count"] == editions
    assert (row["email_count"], row["email_status"]) == (1, "sent")


def check_mandate_check(rows: Rows) -> None:
    editions = sorted(entry["symbols"][0] for entry in _bundled_editions())
    assert [row["edition_symbol"] for row in rows] == editions
    # The corpus holds editions only, no resolution: nothing can be checked.
    assert all(row["resolutions_loaded"] == 0 for row in rows)
    assert {row["coverage"] for row in rows} == {"unknown: no resolutions loaded"}


def check_export(rows: Rows) -> None:
    total = len(edition_paragraphs(OLD)) + len(edition_paragraphs(NEW))
    assert rows == [{"rows_written": total, "editions": 2}]


CHECKS: dict[int, Callable[[Rows], None]] = {
    1: check_appeared_vanished,
    2: check_au_climate,
    3: check_area_shares,
    4: check_citations,
    5: check_sco_side_by_side,
    6: check_au_partners,
    7: _search("numerique"),
    8: _search("Conseil de l’Europe"),
    9: check_largest_sections,
    10: check_au_named_elsewhere,
    11: check_last_run,
    12: check_mandate_check,
    13: check_export,
}


def _number(recipe: Recipe) -> int:
    return int(recipe.title.split(".", 1)[0])


def test_the_page_has_at_least_ten_recipes_each_checked() -> None:
    numbers = [_number(recipe) for recipe in recipes()]
    assert len(numbers) >= 10
    assert sorted(numbers) == sorted(CHECKS)


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: r.title.split(".", 1)[0])
def test_recipe_gives_the_printed_answer_and_the_editions_agree(
    bundled: BundledRun, recipe: Recipe, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = run_recipe(bundled.db, recipe, tmp_path, monkeypatch)
    header = list(rows[0]) if rows else list(recipe.header)
    printed = table(list(recipe.header), [tuple(row[h] for h in recipe.header) for row in rows])
    assert header == list(recipe.header)
    assert [cells(line) for line in printed.splitlines()[2:]] == list(recipe.rows)
    CHECKS[_number(recipe)](rows)
