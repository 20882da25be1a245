"""The nightly flow against a local server that behaves like the UN's services.

The editions it serves are PDFs rendered from the two real editions in `corpus/`; the cited
resolutions are small PDFs laid out like the ODS's. Runs go through Prefect's test harness.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from typer.testing import CliRunner

from common.errors import CoopWatchError
from extractors.fetch.http_settings import MissingContact, client_config
from extractors.fetch.sources import DocumentRef
from extractors.model import Block
from extractors.readers.route import read_file
from flows.cli import app
from flows.nightly import RunFailed, nightly
from pipeline.edition_planning import plan_editions
from pipeline.fetch_acceptance import accept_editions
from pipeline.fetch_session import RemoteSession
from tests.conftest import EDITION_2018, EDITION_2022
from tests.pdf_render import RenderOptions, render_pdf
from tests.unserver import LibraryRecord, UNServer
from warehouse.runs.fetch_state import FetchKnowledge

pytestmark = pytest.mark.timeout(240)

EDITIONS = ["A/73/328-S/2018/592", "A/77/277-S/2022/606"]
NEW_EDITION = "A/81/150-S/2026/512"
FAST_HTTP = {
    "requests_per_second": 0,
    "retries": 0,
    "backoff_factor": 0.01,
    "connect_timeout": 2.0,
    "read_timeout": 5.0,
}
LIBRARY_TITLE = (
    "Cooperation between the United Nations and regional and other organizations : "
    "report of the Secretary-General"
)
DROPPED_SECTION = "Organisation du Traité de sécurité collective"
runner = CliRunner()


def resolution_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with one line of text per entry, laid out top-down like an ODS text."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for index, line in enumerate(lines):
        canvas.drawString(60, 800 - 14 * index, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


SC_RESOLUTION_FR = resolution_pdf(
    [
        "Nations Unies S/RES/1809 (2008)",
        "Conseil de sécurité Distr. générale",
        "16 avril 2008",
        "08-30663 (F)",
        "Résolution 1809 (2008)",
        "Adoptée par le Conseil de sécurité à sa 5868e séance, le",
        "16 avril 2008",
        "Le Conseil de sécurité,",
        "Rappelant sa résolution 1631 (2005),",
        "1. Se félicite de la participation des organisations régionales ;",
        "2. Décide de rester saisi de la question.",
    ]
)
GA_RESOLUTION_EN = resolution_pdf(
    [
        "United Nations A/RES/72/273",
        "General Assembly Distr.: General",
        "16 April 2018",
        "18-05900 (E)",
        "Resolution adopted by the General Assembly",
        "on 12 April 2018",
        "72/273. Cooperation between the United Nations and regional organizations",
        "The General Assembly,",
        "Recalling its resolution 70/296,",
        "1. Welcomes the cooperation described in the report;",
        "2. Decides to remain seized of the matter.",
        "91st plenary meeting",
        "12 April 2018",
    ]
)


def _edition_pdf(folder: Path, blocks: list[Block], symbols: tuple[str, ...], job: str) -> bytes:
    path = folder / f"{symbols[0].replace('/', '-')}.pdf"
    render_pdf(blocks, path, RenderOptions(symbols=symbols, job_number=job))
    return path.read_bytes()


def _without_section(blocks: list[Block], heading: str) -> list[Block]:
    """The blocks less one organization section, later paragraphs renumbered to stay dense."""
    start = next(i for i, block in enumerate(blocks) if block.text == heading)
    end = next(i for i in range(start + 1, len(blocks)) if blocks[i].kind == "heading")
    removed = sum(1 for block in blocks[start:end] if block.kind == "numbered")
    kept = blocks[:start] + [
        dataclasses.replace(block, number=block.number - removed)
        if block.kind == "numbered" and block.number is not None
        else block
        for block in blocks[end:]
    ]
    return kept


@pytest.fixture(scope="module")
def edition_pdfs(tmp_path_factory) -> dict[str, bytes]:
    """The two real editions and a later one (2022 less one section), rendered as UN PDFs."""
    folder = tmp_path_factory.mktemp("pdfs")
    blocks_2018, _ = read_file(EDITION_2018)
    blocks_2022, _ = read_file(EDITION_2022)
    return {
        "A/73/328": _edition_pdf(folder, blocks_2018, ("A/73/328", "S/2018/592"), "18-13651"),
        "A/77/277": _edition_pdf(folder, blocks_2022, ("A/77/277", "S/2022/606"), "22-12374"),
        "A/81/150": _edition_pdf(
            folder,
            _without_section(list(blocks_2022), DROPPED_SECTION),
            ("A/81/150", "S/2026/512"),
            "26-11111",
        ),
    }


def _serve(server: UNServer, pdfs: dict[str, bytes]) -> None:
    server.add_document("A/73/328", "fr", pdfs["A/73/328"])
    server.add_document("A/77/277", "fr", pdfs["A/77/277"])
    server.add_document("S/RES/1809(2008)", "fr", SC_RESOLUTION_FR)
    server.add_document("A/RES/72/273", "en", GA_RESOLUTION_EN)


def _run(server: UNServer, folder: Path, **extra: Any) -> dict:
    parameters: dict[str, Any] = {
        "source": server.base_url,
        "db_path": str(folder / "data" / "cw.duckdb"),
        "outbox_dir": str(folder / "outbox"),
        "reports_dir": str(folder / "reports"),
        "editions": EDITIONS,
        "http": FAST_HTTP,
    }
    parameters.update(extra)
    return nightly(**parameters)


def _query(folder: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(folder / "data" / "cw.duckdb"), read_only=True)
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()


@dataclasses.dataclass
class Scenario:
    """Three runs against one server: cold, unchanged, and with a new edition on offer."""

    folder: Path
    server: UNServer
    results: list[dict]
    bodies_after: list[int]
    log_marks: list[int]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, prefect_harness, edition_pdfs) -> Iterator[Scenario]:
    folder = tmp_path_factory.mktemp("remote")
    with UNServer() as server:
        _serve(server, edition_pdfs)
        results, bodies, marks = [], [], [0]
        for step in range(3):
            if step == 2:
                server.add_document("A/81/150", "fr", edition_pdfs["A/81/150"])
                server.add_record(
                    LibraryRecord(4_000_001, NEW_EDITION, LIBRARY_TITLE, "2026-08-01")
                )
            results.append(_run(server, folder))
            bodies.append(server.document_bodies_served())
            marks.append(len(server.log))
        yield Scenario(folder, server, results, bodies, marks)


def test_first_run_loads_both_editions_from_the_server(scenario: Scenario) -> None:
    rows = _query(
        scenario.folder,
        "SELECT d.symbol, d.kind, d.source_url LIKE ?, count(p.paragraph_number) "
        "FROM documents d JOIN paragraphs p USING (symbol, language) "
        "WHERE d.symbol IN ('A/73/328', 'A/77/277') GROUP BY ALL ORDER BY d.symbol",
        [f"{scenario.server.base_url}/api/symbol/access?%"],
    )
    assert rows == [("A/73/328", "report", True, 101), ("A/77/277", "report", True, 128)]
    first = scenario.results[0]["counts"]
    assert first["downloaded"] == 2 and first["parsed"] == 2 and first["loaded"] == 2


def test_first_run_diffs_the_two_editions(scenario: Scenario) -> None:
    first_run_id = scenario.results[0]["run_id"]
    diffs = _query(
        scenario.folder,
        "SELECT old_symbol, new_symbol, changed_count > 0 FROM edition_diffs WHERE run_id = ?",
        [first_run_id],
    )
    assert diffs == [("A/73/328", "A/77/277", True)]
    assert "OECD" in scenario.results[0]["report"]


def test_first_run_keeps_every_body_in_the_raw_store(scenario: Scenario) -> None:
    raw = scenario.folder / "data" / "raw"
    stored = _query(
        scenario.folder,
        "SELECT DISTINCT sha256 FROM fetches WHERE outcome = 'downloaded' AND run_id = ?",
        [scenario.results[0]["run_id"]],
    )
    assert len(stored) == 4
    for (sha256,) in stored:
        assert (raw / sha256[:2] / sha256).is_file()
    paths = _query(scenario.folder, "SELECT source_path, sha256 FROM documents")
    assert all(path == f"raw/{sha[:2]}/{sha}" for path, sha in paths)


def test_cited_resolutions_are_loaded_and_resolve_citations(scenario: Scenario) -> None:
    documents = _query(
        scenario.folder,
        "SELECT symbol, language, kind, date::VARCHAR FROM documents "
        "WHERE kind <> 'report' ORDER BY symbol",
    )
    assert documents == [
        ("A/RES/72/273", "en", "resolution", "2018-04-12"),
        ("S/RES/1809(2008)", "fr", "resolution", "2008-04-16"),
    ]
    resolved = _query(
        scenario.folder,
        "SELECT DISTINCT cited_symbol, resolved_symbol FROM citations "
        "WHERE symbol = 'A/73/328' AND resolved_symbol IS NOT NULL "
        "AND cited_symbol IN ('A/RES/72/273', 'S/RES/1809(2008)') ORDER BY 1",
    )
    assert resolved == [
        ("A/RES/72/273", "A/RES/72/273"),
        ("S/RES/1809(2008)", "S/RES/1809(2008)"),
    ]


def test_fetched_resolutions_get_their_resolution_rows(scenario: Scenario) -> None:
    # Read off GA_RESOLUTION_EN and SC_RESOLUTION_FR: organs, sessions, meetings, and two
    # operative paragraphs each; A/72/273's cooperation title names no one organization.
    assert _query(
        scenario.folder,
        "SELECT symbol, organ, session, year, meeting, is_cooperation, warnings "
        "FROM resolutions ORDER BY symbol",
    ) == [
        (
            "A/RES/72/273",
            "General Assembly",
            72,
            2018,
            91,
            True,
            [
                "A/RES/72/273 (en): the title “Cooperation between the United Nations and "
                "regional organizations” names no known organization; kept with "
                "organization_id NULL"
            ],
        ),
        ("S/RES/1809(2008)", "Security Council", None, 2008, 5868, False, []),
    ]
    assert _query(
        scenario.folder,
        "SELECT symbol, number, text FROM resolution_paragraphs WHERE kind = 'operative' "
        "ORDER BY symbol, position",
    ) == [
        ("A/RES/72/273", 1, "Welcomes the cooperation described in the report;"),
        ("A/RES/72/273", 2, "Decides to remain seized of the matter."),
        ("S/RES/1809(2008)", 1, "Se félicite de la participation des organisations régionales ;"),
        ("S/RES/1809(2008)", 2, "Décide de rester saisi de la question."),
    ]


def test_cited_document_falls_back_to_english(scenario: Scenario) -> None:
    fetched = _query(
        scenario.folder,
        "SELECT language, outcome FROM fetches WHERE symbol = 'A/RES/72/273' AND run_id = ? "
        "ORDER BY fetch_id",
        [scenario.results[0]["run_id"]],
    )
    assert fetched == [("fr", "absent"), ("en", "downloaded")]


def test_absent_cited_document_is_recorded_and_does_not_fail_the_run(scenario: Scenario) -> None:
    rows = _query(
        scenario.folder,
        "SELECT language, outcome, status, error FROM fetches "
        "WHERE symbol = 'S/PRST/2013/12' AND run_id = ? ORDER BY fetch_id",
        [scenario.results[0]["run_id"]],
    )
    assert [(language, outcome, status) for language, outcome, status, _ in rows] == [
        ("fr", "absent", 404),
        ("en", "absent", 404),
    ]
    assert all("S/PRST/2013/12" in error and "HTTP 404" in error for *_, error in rows)
    statuses = _query(scenario.folder, "SELECT status FROM runs ORDER BY started_at")
    assert statuses == [("completed",)] * 3
    assert "NOTE: cited S/PRST/2013/12 (fr, en) absent" in scenario.results[0]["report"]


def test_every_fetch_is_recorded_with_its_run(scenario: Scenario) -> None:
    first_run_id = scenario.results[0]["run_id"]
    outcomes = dict(
        _query(
            scenario.folder,
            "SELECT outcome, count(*) FROM fetches WHERE run_id = ? GROUP BY outcome",
            [first_run_id],
        )
    )
    api_requests = scenario.server.log[: scenario.log_marks[1]]
    answered = [entry for entry in api_requests if entry.path == "/api/symbol/access"]
    # Each fetch asks for the plain symbol; an absent one also asks for the '(OR)' variant.
    assert len(answered) == sum(outcomes.values()) + outcomes["absent"]
    assert outcomes["downloaded"] == 4


def test_second_run_downloads_no_bodies_and_parses_nothing(scenario: Scenario) -> None:
    assert scenario.bodies_after[1] == scenario.bodies_after[0]
    counts = scenario.results[1]["counts"]
    assert counts.get("parsed", 0) == 0 and counts.get("cited_parsed", 0) == 0
    assert counts["not_modified"] == 2 and counts["unchanged"] == 2
    assert counts["cited_unchanged"] == 2
    second = scenario.server.log[scenario.log_marks[1] : scenario.log_marks[2]]
    conditional = [
        entry
        for entry in second
        if entry.path == "/api/symbol/access" and "if-none-match" in entry.headers
    ]
    assert sorted(entry.status for entry in conditional) == [304] * 4
    outcomes = _query(
        scenario.folder,
        "SELECT DISTINCT outcome FROM fetches WHERE run_id = ? ORDER BY 1",
        [scenario.results[1]["run_id"]],
    )
    assert outcomes == [("absent",), ("not_modified",)]


def test_new_edition_is_discovered_loaded_and_diffed(scenario: Scenario) -> None:
    third = scenario.results[2]
    assert third["counts"]["discovered"] == 1 and third["counts"]["parsed"] == 1
    assert scenario.bodies_after[2] == scenario.bodies_after[1] + 1
    searches = scenario.server.requests_to("/search")
    assert len(searches) == 3
    diffs = _query(
        scenario.folder,
        "SELECT old_symbol, new_symbol FROM edition_diffs WHERE run_id = ?",
        [third["run_id"]],
    )
    assert diffs == [("A/77/277", "A/81/150")]
    vanished = _query(
        scenario.folder,
        "SELECT subject FROM change_events WHERE new_symbol = 'A/81/150' AND change = 'vanished'",
    )
    assert ("CSTO",) in vanished
    editions = _query(scenario.folder, "SELECT symbols, year FROM editions ORDER BY year")
    assert editions[-1] == (["A/81/150", "S/2026/512"], 2026)


def test_discovered_edition_is_remembered_in_the_data_folder(scenario: Scenario) -> None:
    user_file = scenario.folder / "data" / "editions.user.yaml"
    entries = yaml.safe_load(user_file.read_text(encoding="utf-8"))["editions"]
    assert [entry["symbol"] for entry in entries] == [NEW_EDITION]


def test_failing_edition_is_recorded_and_the_run_fails_at_the_end(
    tmp_path: Path, prefect_harness, edition_pdfs
) -> None:
    with UNServer() as server:
        _serve(server, edition_pdfs)
        server.set_behaviour("A/77/277", "fr", "html")
        with pytest.raises(RunFailed, match="A/77/277"):
            _run(server, tmp_path, fetch_cited=False)
    loaded = _query(tmp_path, "SELECT symbol FROM documents ORDER BY symbol")
    assert loaded == [("A/73/328",)]
    rows = _query(tmp_path, "SELECT outcome, status, error FROM fetches WHERE symbol = 'A/77/277'")
    assert len(rows) == 1
    outcome, status, error = rows[0]
    assert (outcome, status) == ("absent", 200)
    assert "HTML page instead of a document" in error and "[fr]" in error
    assert _query(tmp_path, "SELECT status FROM runs") == [("failed",)]


def test_discovery_challenge_is_a_note_not_a_failure(
    tmp_path: Path, prefect_harness, edition_pdfs
) -> None:
    with UNServer() as server:
        _serve(server, edition_pdfs)
        server.library_behaviour = "challenge"
        result = _run(server, tmp_path, editions=["A/77/277"], fetch_cited=False)
        searches = server.requests_to("/search")
    assert len(searches) == 1
    assert result["report"].count("discovery unavailable (challenge)") == 1
    assert _query(tmp_path, "SELECT symbol FROM documents") == [("A/77/277",)]


def test_rebuild_from_the_raw_store_gives_the_same_warehouse(
    scenario: Scenario, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(scenario.folder / "data" / "raw", data / "raw")
    shutil.copy(scenario.folder / "data" / "editions.user.yaml", data)
    result = runner.invoke(app, ["rebuild", "--db", str(data / "cw.duckdb")])
    assert result.exit_code == 0, result.output
    assert "3 edition text(s), 2 cited document(s), 2 diff(s), 0 problem(s)" in result.output
    compared = {
        "SELECT symbol, language, kind, sha256, source_path FROM documents ORDER BY ALL",
        "SELECT symbol, count(*) FROM paragraphs GROUP BY symbol ORDER BY ALL",
        "SELECT old_symbol, new_symbol, changed_count FROM edition_diffs ORDER BY ALL",
        "SELECT symbol, cited_symbol, resolved_symbol FROM citations ORDER BY ALL",
    }
    for sql in compared:
        assert _query(tmp_path, sql) == _query(scenario.folder, sql), sql


def test_rebuild_without_a_raw_store_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rebuild", "--db", str(tmp_path / "cw.duckdb")])
    assert result.exit_code == 1
    assert "raw store holds no document" in result.output
    assert not (tmp_path / "cw.duckdb").exists()


def test_editions_add_is_fetched_by_the_next_plan(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = runner.invoke(
        app, ["editions", "add", "A/81/150\u2013S/2026/512", "--data-dir", str(data)]
    )
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "A/81/150-S/2026/512 (2026, user)"
    listed = runner.invoke(app, ["editions", "list", "--data-dir", str(data)])
    assert listed.output.splitlines()[-1] == "A/81/150-S/2026/512\t2026\tuser"
    with UNServer() as server:
        session = RemoteSession(
            server.base_url, data, client_config(server.base_url, FAST_HTTP), FetchKnowledge()
        )
        try:
            plan = plan_editions(session, ["fr", "en"], None, discover=False)
        finally:
            session.close()
        assert server.log == []
    assert [(ref.symbol, ref.language) for ref in plan.refs][-2:] == [
        ("A/81/150", "fr"),
        ("A/81/150", "en"),
    ]
    assert len(plan.refs) == 12 and "A/81/150-S/2026/512" in plan.known


def test_plan_backfills_an_unknown_edition_it_is_asked_for(tmp_path: Path) -> None:
    session = RemoteSession(
        "http://127.0.0.1:9", tmp_path, client_config("http://127.0.0.1:9"), FetchKnowledge()
    )
    try:
        plan = plan_editions(session, ["fr"], ["A/69/228 - S/2014/560", "A/73/328"], discover=False)
    finally:
        session.close()
    assert [ref.symbols for ref in plan.refs] == [
        ("A/69/228", "S/2014/560"),
        ("A/73/328", "S/2018/592"),
    ]


def test_client_config_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPWATCH_HTTP_RATE", "0")
    monkeypatch.setenv("COOPWATCH_HTTP_READ_TIMEOUT", "3.5")
    monkeypatch.setenv("COOPWATCH_CONTACT", "ops@example.org")
    config = client_config("http://127.0.0.1:8000", {"retries": 1})
    assert (config.requests_per_second, config.read_timeout, config.retries) == (0.0, 3.5, 1)
    assert config.source == "http://127.0.0.1:8000"
    assert "ops@example.org" in config.user_agent
    assert client_config("un").source is None


def test_client_config_refuses_the_un_without_a_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("COOPWATCH_CONTACT", "COOPWATCH_MAIL_FROM"):
        monkeypatch.delenv(variable, raising=False)
    with pytest.raises(MissingContact, match="COOPWATCH_CONTACT"):
        client_config("un")
    with pytest.raises(CoopWatchError, match="unknown HTTP setting"):
        client_config("http://127.0.0.1:8000", {"speed": 3})


def test_body_lost_from_the_raw_store_is_refetched_in_full(
    tmp_path: Path, edition_pdfs: dict[str, bytes]
) -> None:
    body = edition_pdfs["A/77/277"]
    with UNServer() as server:
        server.add_document("A/77/277", "fr", body)
        config = client_config(server.base_url, FAST_HTTP)
        earlier = RemoteSession(server.base_url, tmp_path / "old", config, FetchKnowledge())
        first = earlier.fetch(EDITIONS[1], "fr")
        earlier.close()
        knowledge = FetchKnowledge(states={("A/77/277", "fr"): first.state})
        session = RemoteSession(server.base_url, tmp_path / "new", config, knowledge)
        try:
            result = session.fetch(EDITIONS[1], "fr")
            fetches = [result]
            ref = DocumentRef(symbols=("A/77/277", "S/2022/606"), language="fr", year=2022)
            documents, summary = accept_editions(session, (ref,), [result], fetches, {}, False)
        finally:
            session.close()
    assert [fetch.outcome for fetch in fetches] == ["not_modified", "downloaded"]
    assert [(d.data, d.sha256) for d in documents] == [(body, first.sha256)]
    assert (tmp_path / "new" / documents[0].source_path).read_bytes() == body
    assert summary.failures == ()


def test_previous_report_is_fetched_loaded_and_diffed_in_the_same_run(
    tmp_path: Path, prefect_harness, edition_pdfs
) -> None:
    """Backward discovery: the 2022 edition cites its previous report, A/75/345, which the
    run was not asked for; here the server holds the 2018 text under that symbol."""
    blocks_2018, _ = read_file(EDITION_2018)
    previous = _edition_pdf(tmp_path, blocks_2018, ("A/75/345", "S/2020/898"), "20-11111")
    with UNServer() as server:
        server.add_document("A/77/277", "fr", edition_pdfs["A/77/277"])
        server.add_document("A/75/345", "fr", previous)
        result = _run(server, tmp_path, editions=["A/77/277"], discover=False, fetch_cited=False)
    counts = result["counts"]
    assert counts["parsed"] == 2 and counts["previous_found"] == 1
    assert counts["previous_absent"] == 1  # the 2018 text's own previous report, A/71/160
    assert "NOTE: previous report A/71/160-S/2016/621 (fr) absent" in result["report"]
    assert _query(tmp_path, "SELECT symbol FROM documents ORDER BY symbol") == [
        ("A/75/345",),
        ("A/77/277",),
    ]
    diffs = _query(
        tmp_path,
        "SELECT old_symbol, new_symbol FROM edition_diffs WHERE run_id = ?",
        [result["run_id"]],
    )
    assert diffs == [("A/75/345", "A/77/277")]
    assert _query(tmp_path, "SELECT status FROM runs") == [("completed",)]


def test_cooperation_resolution_citing_an_unknown_edition_adds_it(
    tmp_path: Path, prefect_harness, edition_pdfs
) -> None:
    cooperation = resolution_pdf(
        [
            "United Nations A/RES/75/284",
            "General Assembly Distr.: General",
            "20 June 2021",
            "21-08000 (E)",
            "Resolution adopted by the General Assembly",
            "on 18 June 2021",
            "75/284. Cooperation between the United Nations and the Collective Security",
            "Treaty Organization",
            "The General Assembly,",
            "Having considered the report of the Secretary-General (A/83/200-S/2028/700),",
            "Recalling the report (A/77/277-S/2022/606) and its letter A/75/999,",
            "1. Welcomes the cooperation described in the report;",
            "2. Decides to remain seized of the matter.",
            "80th plenary meeting",
            "18 June 2021",
        ]
    )
    with UNServer() as server:
        server.add_document("A/77/277", "fr", edition_pdfs["A/77/277"])
        server.add_document("A/RES/75/284", "en", cooperation)
        result = _run(server, tmp_path, editions=["A/77/277"], discover=False)
    assert result["counts"]["cited_editions_added"] == 1
    assert (
        "NOTE: A/RES/75/284 cites A/83/200-S/2028/700, an edition CoopWatch did not know"
        in result["report"]
    )
    user_file = tmp_path / "data" / "editions.user.yaml"
    entries = yaml.safe_load(user_file.read_text(encoding="utf-8"))["editions"]
    assert entries == [{"symbol": "A/83/200-S/2028/700", "year": 2028}]
