"""Symbol-shaped texts the grammar does not know: kept with their text, counted in the ledger.

The report is the real 2022 edition; one of its paragraphs is given a citation no UN body
issues (A/XYZ/12/3) next to a real one, as a typo in a document would.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.enrich.enrich_report import enrich_report
from extractors.model import Report
from tests.conftest import SYMBOL_2022
from warehouse.db.schema import connect
from warehouse.load.loader import load_document, load_report

UNKNOWN = "A/XYZ/12/3"


def with_unknown_citation(report: Report) -> Report:
    """The report with paragraph 2 citing A/XYZ/12/3 and A/HRC/RES/47/1."""
    paragraphs = list(report.paragraphs)
    index = next(i for i, p in enumerate(paragraphs) if p.number == 2)
    paragraphs[index] = replace(
        paragraphs[index], text=paragraphs[index].text + f" (voir {UNKNOWN} et A/HRC/RES/47/1)"
    )
    return replace(report, paragraphs=tuple(paragraphs))


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "coopwatch.duckdb")
    yield connection
    connection.close()


def test_the_real_editions_cite_nothing_the_grammar_does_not_know(report_2018, report_2022):
    # Checked by reading both texts: every symbol they print is a GA, SC or PRST symbol.
    for report in (report_2018, report_2022):
        assert enrich_report(report).unknown_citations == ()


def test_unknown_citation_is_kept_apart_from_the_known_ones(report_2022) -> None:
    enriched = enrich_report(with_unknown_citation(report_2022))
    (paragraph,) = [p for p in enriched.paragraphs if p.number == 2]
    assert paragraph.unknown_citations == (UNKNOWN,)
    assert "A/HRC/RES/47/1" in paragraph.citations and UNKNOWN not in paragraph.citations
    assert enriched.unknown_citations == (UNKNOWN,)


def test_unknown_citation_is_stored_and_counted_in_the_parse_ledger(con, report_2022) -> None:
    enriched = enrich_report(with_unknown_citation(report_2022))
    load_report(con, enriched, run_id="run-1", sha256="sha-x", source_url=None)
    rows = con.execute(
        "SELECT symbol, language, paragraph_number, position, cited_text, run_id "
        "FROM unresolved_citations"
    ).fetchall()
    assert rows == [(SYMBOL_2022.split("-")[0], "fr", 2, 0, UNKNOWN, "run-1")]
    assert con.execute("SELECT unresolved_citation_count FROM parses").fetchall() == [(1,)]
    cited = {row[0] for row in con.execute("SELECT cited_symbol FROM citations").fetchall()}
    assert "A/HRC/RES/47/1" in cited and UNKNOWN not in cited


def test_reloading_replaces_the_unresolved_rows(con, report_2022) -> None:
    load_report(
        con,
        enrich_report(with_unknown_citation(report_2022)),
        run_id="r1",
        sha256="a",
        source_url=None,
    )
    load_report(con, enrich_report(report_2022), run_id="r2", sha256="b", source_url=None)
    assert con.execute("SELECT count(*) FROM unresolved_citations").fetchall() == [(0,)]


def test_cited_document_keeps_its_unknown_citations_until_reloaded(con) -> None:
    def load(sha256: str, unresolved: tuple[str, ...]) -> bool:
        return load_document(
            con,
            symbol="A/RES/79/10",
            language="en",
            kind="resolution",
            sha256=sha256,
            parser_version="cited-test",
            run_id=f"run-{sha256}",
            cites=("A/79/302-S/2024/600",),
            unresolved=unresolved,
        )

    assert load("a", (UNKNOWN,))
    assert con.execute(
        "SELECT symbol, paragraph_number, position, cited_text FROM unresolved_citations"
    ).fetchall() == [("A/RES/79/10", None, 0, UNKNOWN)]
    assert load("b", ())
    assert con.execute("SELECT count(*) FROM unresolved_citations").fetchall() == [(0,)]
