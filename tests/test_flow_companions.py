"""An edition's corrigendum, end to end against the local stand-in for the UN's services.

The Digital Library lists A/77/277/Corr.1-S/2022/606/Corr.1 under the report's title; the run
fetches it with its edition, stores it as its own document linked to A/77/277, never takes it
for an edition, and its digest names it once. Runs go through Prefect's test harness.
"""

from __future__ import annotations

import dataclasses
import email
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from extractors.report.editions import load_editions
from flows.cli import app
from tests.test_flow_remote import (
    LIBRARY_TITLE,
    _query,
    _run,
    _serve,
    edition_pdfs,  # noqa: F401 (the module fixture the scenario renders editions with)
    resolution_pdf,
)
from tests.unserver import LibraryRecord, UNServer
from warehouse.rebuild import rebuild_warehouse

pytestmark = pytest.mark.timeout(240)

CORRIGENDUM = "A/77/277/Corr.1"
CORRIGENDUM_JOINT = "A/77/277/Corr.1-S/2022/606/Corr.1"
SENTENCE = "A/77/277 has a corrigendum (A/77/277/Corr.1)"
# Laid out like an ODS corrigendum: the joint symbol, the organs, the job number, one fix.
CORRIGENDUM_FR = resolution_pdf(
    [
        "Nations Unies A/77/277/Corr.1-S/2022/606/Corr.1",
        "Assemblée générale Conseil de sécurité Distr. générale",
        "20 septembre 2022",
        "22-21563 (F)",
        "Coopération entre l'Organisation des Nations Unies et les organisations",
        "régionales ou autres",
        "Rapport du Secrétaire général",
        "Rectificatif",
        "Paragraphe 12, deuxième phrase",
        "Au lieu de 2021 lire 2022",
    ]
)
DIGEST_ROWS = (
    "SELECT change_set_id, body_text, body_html FROM outbox "
    "WHERE old_symbol = 'A/73/328' AND new_symbol = 'A/77/277'"
)
runner = CliRunner()


@dataclasses.dataclass
class CompanionRuns:
    """Two runs: cold (the Library lists the corrigendum), then unchanged without the record."""

    folder: Path
    server: UNServer
    results: list[dict]


@pytest.fixture(scope="module")
def runs(tmp_path_factory, prefect_harness, edition_pdfs) -> Iterator[CompanionRuns]:  # noqa: F811
    folder = tmp_path_factory.mktemp("companions")
    with UNServer() as server:
        _serve(server, edition_pdfs)
        server.add_document(CORRIGENDUM, "fr", CORRIGENDUM_FR)
        server.add_record(
            LibraryRecord(
                4_000_777, CORRIGENDUM_JOINT, f"{LIBRARY_TITLE} : corrigendum", "2022-09-20"
            )
        )
        first = _run(server, folder)
        server.library.clear()
        second = _run(server, folder)
        yield CompanionRuns(folder, server, [first, second])


def test_corrigendum_is_fetched_with_its_edition_and_stored_linked(runs: CompanionRuns) -> None:
    asked = [entry.query.get("s") for entry in runs.server.requests_to("/api/symbol/access")]
    assert [CORRIGENDUM] in asked
    assert _query(
        runs.folder,
        "SELECT symbol, language, kind, symbols FROM documents WHERE symbol = ?",
        [CORRIGENDUM],
    ) == [(CORRIGENDUM, "fr", "other", [CORRIGENDUM, "S/2022/606/Corr.1"])]
    assert _query(
        runs.folder,
        "SELECT symbol, language, edition_symbol, companion FROM edition_companions",
    ) == [(CORRIGENDUM, "fr", "A/77/277", "corrigendum")]


def test_corrigendum_is_never_taken_for_an_edition(runs: CompanionRuns) -> None:
    editions = _query(runs.folder, "SELECT symbol FROM editions ORDER BY symbol")
    assert editions == [("A/73/328",), ("A/77/277",)]
    known = [edition.symbol for edition in load_editions(runs.folder / "data")]
    assert known and not [symbol for symbol in known if "Corr" in symbol]


def test_the_runs_digest_names_the_corrigendum_once(runs: CompanionRuns) -> None:
    ((change_set_id, text, html),) = _query(runs.folder, DIGEST_ROWS)
    assert text.count(SENTENCE) == 1
    assert html.count(SENTENCE) == 1
    (eml,) = sorted((runs.folder / "outbox").glob(f"*-{change_set_id[:12]}.eml"))
    message = email.message_from_bytes(eml.read_bytes())
    plain = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert plain.get_payload(decode=True).decode("utf-8").count(SENTENCE) == 1
    assert sum(SENTENCE in note for note in runs.results[0]["report"].splitlines()) == 1


def test_an_unchanged_night_asks_again_conditionally_and_mails_nothing(
    runs: CompanionRuns,
) -> None:
    requests = [
        entry
        for entry in runs.server.requests_to("/api/symbol/access")
        if entry.query.get("s") == [CORRIGENDUM]
    ]
    assert len(requests) == 2
    assert requests[1].status == 304 and "if-none-match" in requests[1].headers
    assert SENTENCE not in runs.results[1]["report"]
    assert len(_query(runs.folder, DIGEST_ROWS)) == 1


def test_status_names_the_corrigendum(runs: CompanionRuns) -> None:
    db = str(runs.folder / "data" / "cw.duckdb")
    result = runner.invoke(app, ["status", "--db", db])
    assert result.exit_code == 0, result.output
    assert result.output.count(SENTENCE) == 1
    state = runner.invoke(app, ["status", "--db", db, "--json"])
    assert '"edition": "A/77/277"' in state.output


def test_rebuild_from_the_raw_store_keeps_the_corrigendum_linked(
    runs: CompanionRuns, tmp_path: Path
) -> None:
    rebuilt = tmp_path / "rebuilt.duckdb"
    summary = rebuild_warehouse(rebuilt, runs.folder / "data")
    assert f"{CORRIGENDUM} (fr)" in summary.documents and summary.problems == []
    con = duckdb.connect(str(rebuilt), read_only=True)
    try:
        links = con.execute("SELECT symbol, edition_symbol, companion FROM edition_companions")
        assert links.fetchall() == [(CORRIGENDUM, "A/77/277", "corrigendum")]
    finally:
        con.close()
