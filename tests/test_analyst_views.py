"""The analyst's views on the two bundled editions: paragraph_details (one row per paragraph,
no joins, a folded search_text) and organization_sections_aligned, checked against the
edition texts in corpus/ (tests/edition_texts.py reads them apart from the parser)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from edition_texts import EDITION_FILES, edition_paragraphs, fold, paragraphs_containing
from warehouse_editions import load_editions


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    connection = load_editions(Path(tmp_path_factory.mktemp("views")) / "w.duckdb")
    yield connection
    connection.close()


def _numbers(con: duckdb.DuckDBPyConnection, symbol: str, where: str, *args: str) -> list[int]:
    return [
        row[0]
        for row in con.execute(
            f"SELECT paragraph_number FROM paragraph_details WHERE symbol = ? AND {where} "
            "ORDER BY 1",
            [symbol, *args],
        ).fetchall()
    ]


@pytest.mark.parametrize("symbol", sorted(EDITION_FILES))
def test_one_row_per_numbered_paragraph_of_the_edition(con, symbol: str) -> None:
    rows = con.execute(
        "SELECT paragraph_number, year, language, text FROM paragraph_details WHERE symbol = ?",
        [symbol],
    ).fetchall()
    printed = edition_paragraphs(symbol)
    assert sorted(row[0] for row in rows) == sorted(printed)
    assert {(row[1], row[2]) for row in rows} == {(int(symbol == "A/77/277") * 4 + 2018, "fr")}


@pytest.mark.parametrize("symbol", sorted(EDITION_FILES))
@pytest.mark.parametrize(
    "phrase", ["numerique", "cyber", "Conseil de l'Europe", "conseil de l'europe", "œuvre"]
)
def test_a_plain_like_on_search_text_finds_what_the_edition_prints(
    con, symbol: str, phrase: str
) -> None:
    found = _numbers(con, symbol, "search_text LIKE '%' || ? || '%'", fold(phrase))
    assert found == paragraphs_containing(symbol, phrase)
    assert found  # every phrase is printed in both editions


def test_a_name_copied_with_a_curly_apostrophe_is_folded_by_the_macro(con) -> None:
    # The reference data writes the name with a typographic apostrophe; the 2018 text with a
    # straight one (A/73/328 paragraphs 40-44, the Council of Europe's section).
    found = _numbers(
        con, "A/73/328", "search_text LIKE '%' || fold_text(?) || '%'", "Conseil de l’Europe"
    )
    assert found == paragraphs_containing("A/73/328", "Conseil de l'Europe") == [40, 41, 42, 43, 44]


def test_a_paragraph_carries_its_section_names_areas_and_citations(con) -> None:
    row = con.execute(
        "SELECT organization_id, organization_name_en, organization_name_fr, "
        "section_organization_ids, named_organization_ids, named_organization_names_en, "
        "citations, citation_count, text FROM paragraph_details "
        "WHERE symbol = 'A/73/328' AND paragraph_number = 40"
    ).fetchone()
    assert row is not None
    organization, name_en, name_fr, section_ids, named, named_en, cited, count, text = row
    # The name columns keep one straight apostrophe, as the digest prints names.
    assert (organization, name_en, name_fr) == ("COE", "Council of Europe", "Conseil de l'Europe")
    assert section_ids == ["COE"] and "COE" in named
    assert named_en[named.index("COE")] == "Council of Europe"
    assert (cited, count) == ([], 0)
    assert fold(text) == fold(edition_paragraphs("A/73/328")[40])
    # 2022 paragraph 12 cites S/RES/2524 (2020) as printed in the edition.
    (cited_2022,) = con.execute(
        "SELECT citations FROM paragraph_details WHERE symbol = 'A/77/277' AND paragraph_number = 12"
    ).fetchone()
    assert "2524 (2020)" in edition_paragraphs("A/77/277")[12]
    assert "S/RES/2524(2020)" in cited_2022


def test_names_in_english_and_french_beside_every_id(con) -> None:
    for view, columns in (
        ("organizations_by_edition", "organization_id, name_en, name_fr"),
        ("areas_by_edition", "area_id, name_en, name_fr"),
        (
            "partnerships_by_edition",
            "organization_id, organization_name_en, organization_name_fr",
        ),
        ("partnerships_by_edition", "un_entity_id, un_entity_name_en, un_entity_name_fr"),
        ("organization_sections_aligned", "organization_id, name_en, name_fr"),
    ):
        missing = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM {view}) t(id, en, fr) "
            "WHERE en IS NULL OR fr IS NULL"
        ).fetchone()
        assert missing == (0,), view


def test_an_organization_section_side_by_side_in_the_two_editions(con) -> None:
    row = con.execute(
        "SELECT name_en, old_symbol, new_symbol, old_paragraph_numbers, new_paragraph_numbers, "
        "matched_count, added_count, removed_count, paragraphs "
        "FROM organization_sections_aligned WHERE organization_id = 'COE'"
    ).fetchone()
    assert row is not None
    name, old, new, old_numbers, new_numbers, matched, added, removed, paragraphs = row
    assert (name, old, new) == ("Council of Europe", "A/73/328", "A/77/277")
    # The section "Conseil de l'Europe" holds paragraphs 40-44 in 2018 and 66-70 in 2022.
    assert old_numbers == [40, 41, 42, 43, 44] and new_numbers == [66, 67, 68, 69, 70]
    assert matched + removed == 5 and matched + added == 5
    assert {item["status"] for item in paragraphs} <= {"matched", "added", "removed"}
    for item in paragraphs:
        if item["old_number"] is not None:
            assert fold(item["old_text"]) == fold(edition_paragraphs(old)[item["old_number"]])
        if item["new_number"] is not None:
            assert fold(item["new_text"]) == fold(edition_paragraphs(new)[item["new_number"]])
    news = [item["new_number"] for item in paragraphs if item["new_number"] is not None]
    assert news == sorted(news)
