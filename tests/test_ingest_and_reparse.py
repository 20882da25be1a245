"""The commands that turn a local file into rows and back: `ingest` (warehouse/ingest.py),
`reparse` (warehouse/reparse.py), the read-only questions (warehouse/queries.py) and the
comparison of derived content (warehouse/load/rederive.py), on the two bundled editions.

Expected values read in the documents: 101 numbered paragraphs in the 2018 edition and 128
in the 2022 one (the last `^<n>\\. ` of each file), 25 and 23 organization sections
(tests/test_diff_golden.py, where OPCW and the CTBTO share a chapter in 2018); the OECD has
a section in 2022 only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.enrich.enrich_report import enrich_report
from tests.conftest import EDITION_2018, EDITION_2022, SYMBOL_2018, SYMBOL_2022
from warehouse.ingest import ingest_file
from warehouse.load.rederive import content_changes, same_content
from warehouse.queries import diff_loaded_editions, export_warehouse
from warehouse.reparse import loaded_editions, reparse_warehouse
from warehouse.runs.mandate_coverage import number_ranges


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("ingest")
    db = folder / "cw.duckdb"
    lines = [
        ingest_file(EDITION_2018, symbol=SYMBOL_2018, language="fr", db_path=db),
        ingest_file(EDITION_2022, symbol=SYMBOL_2022, language="fr", db_path=db),
        ingest_file(EDITION_2022, symbol=SYMBOL_2022, language="fr", db_path=db),
    ]
    return db, lines


def test_ingest_loads_each_edition_once(ingested) -> None:
    db, lines = ingested
    assert lines[0] == f"A/73/328 (fr): loaded; 25 sections, 101 paragraphs into {db}"
    assert lines[1] == f"A/77/277 (fr): loaded; 23 sections, 128 paragraphs into {db}"
    assert lines[2].startswith("A/77/277 (fr): already loaded, unchanged")
    assert [(e.symbol, e.language) for e in loaded_editions(db, None)] == [
        ("A/73/328", "fr"),
        ("A/77/277", "fr"),
    ]


def test_reparse_with_the_same_parser_changes_nothing(ingested, tmp_path: Path) -> None:
    db, _ = ingested
    summary = reparse_warehouse(db, tmp_path, "A/77/277")
    assert summary.problems == [] and summary.changed == 0
    assert summary.render().endswith("no email queued")


def test_queries_diff_and_export_the_loaded_editions(ingested, tmp_path: Path) -> None:
    db, _ = ingested
    diff = diff_loaded_editions(db, "A/73/328", "A/77/277", language="fr")
    assert ("OECD", "appeared") in {(e.subject, e.change) for e in diff.events}
    written = {path.name for path in export_warehouse(db, tmp_path / "parquet")}
    assert {"paragraphs.parquet", "editions.parquet"} <= written


def test_derived_content_compares(report_2018, report_2022) -> None:
    old, new = enrich_report(report_2018), enrich_report(report_2022)
    assert same_content(old, old) and not same_content(old, new)
    assert content_changes(old, new)
    assert content_changes(old, old) == []


def test_number_ranges_print_paragraph_evidence() -> None:
    assert number_ranges([8, 5, 6, 7, 12, 12]) == "5-8, 12"
    assert number_ranges(()) == ""
