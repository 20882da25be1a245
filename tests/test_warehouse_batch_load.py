"""Loading a run's new editions in one batch writes exactly what loading them one by one
writes, on the real editions; documents already loaded or repeated are refused whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_warehouse_samples import table_contents
from warehouse_editions import enriched_editions

from common.errors import UnloadableDocument
from extractors.enrich.reference_data import load_reference
from extractors.model import Report
from warehouse.db.schema import connect
from warehouse.load.batch_loader import load_new_reports
from warehouse.load.loader import load_document, load_report
from warehouse.load.loader import load_reference as load_reference_tables
from warehouse.load.report_rows import NewReport


def editions_in_two_languages() -> list[Report]:
    """Both real editions, in French and under an English copy (same text, other language)."""
    old, new = enriched_editions()
    return [old, new, replace(new, language="en"), replace(old, language="en")]


def warehouse(path: Path):
    """A warehouse with the reference data and a resolution that cites both editions."""
    con = connect(path)
    load_reference_tables(con, load_reference())
    load_document(
        con,
        symbol="A/RES/77/1",
        language="fr",
        kind="resolution",
        sha256="resolution",
        parser_version="resolution-1.0",
        run_id="run-0",
        cites=("A/73/328", "S/2022/606", "A/75/345"),
    )
    return con


def test_batch_writes_what_loading_one_by_one_writes(tmp_path: Path) -> None:
    reports = editions_in_two_languages()
    one_by_one = warehouse(tmp_path / "sequential.duckdb")
    for report in reports:
        load_report(
            one_by_one, report, run_id="run-1", sha256=f"sha-{report.language}", source_url=None
        )
    batch = warehouse(tmp_path / "batch.duckdb")
    load_new_reports(
        batch,
        [NewReport(report, sha256=f"sha-{report.language}") for report in reports],
        run_id="run-1",
    )
    expected = table_contents(one_by_one)
    assert table_contents(batch) == expected
    assert len(expected["paragraphs"]) == 2 * (101 + 128)
    resolved = batch.execute(
        "SELECT cited_symbol, resolved_symbol FROM citations WHERE symbol = 'A/RES/77/1' "
        "ORDER BY position"
    ).fetchall()
    assert resolved == [("A/73/328", "A/73/328"), ("S/2022/606", "A/77/277"), ("A/75/345", None)]


def test_batch_after_the_other_language_replaces_the_edition_row(tmp_path: Path) -> None:
    old, new = enriched_editions()
    con = warehouse(tmp_path / "w.duckdb")
    load_report(con, old, run_id="run-1", sha256="fr", source_url=None)
    load_new_reports(con, [NewReport(replace(old, language="en"), sha256="en")], run_id="run-2")
    assert con.execute("SELECT symbol, run_id FROM editions").fetchall() == [("A/73/328", "run-2")]


def test_a_document_already_loaded_is_refused_and_nothing_written(tmp_path: Path) -> None:
    old, new = enriched_editions()
    con = warehouse(tmp_path / "w.duckdb")
    load_report(con, old, run_id="run-1", sha256="fr", source_url=None)
    before = table_contents(con)
    with pytest.raises(ValueError, match=r"A/73/328 \(fr\) is already loaded"):
        load_new_reports(con, [NewReport(new, "b"), NewReport(old, "a")], run_id="run-2")
    with pytest.raises(ValueError, match=r"A/77/277 \(fr\) is already loaded"):
        load_new_reports(con, [NewReport(new, "b"), NewReport(new, "c")], run_id="run-2")
    assert table_contents(con) == before


def test_a_repeated_paragraph_number_refuses_the_whole_batch(tmp_path: Path) -> None:
    old, new = enriched_editions()
    broken = replace(new, paragraphs=(*new.paragraphs, new.paragraphs[0]))
    con = warehouse(tmp_path / "w.duckdb")
    before = table_contents(con)
    with pytest.raises(UnloadableDocument, match=r"A/77/277 \(fr\).*repeated: 1$"):
        load_new_reports(con, [NewReport(old, "a"), NewReport(broken, "b")], run_id="run-1")
    assert table_contents(con) == before
