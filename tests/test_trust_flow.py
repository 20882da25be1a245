"""A run you can trust, end to end (issue 11): reissues, false "not found", the circuit
breaker, the run manifest and the overdue alert, against the local undocs-like server and a
real SMTP server on loopback.

One warehouse lives through six runs against one server, each changing one thing:
1. cold run: both editions loaded and diffed, one digest and one overdue alert mailed;
2. the 2022 edition reissued (same text; starred job number, first-page job line and
   barcode, footers swapped: new bytes): a reissue with no content change, no email;
3. the 2022 edition with one paragraph changed: a reissue whose events say so;
4. the server answers "not found" (200, small HTML page) for the 2018 edition it served;
5. the server answers again;
6. every edition answers "not found" and K = 2: the breaker opens, cited documents are
   never asked for, the run still completes with its manifest.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.model import Block
from extractors.readers.route import read_file
from flows.nightly import nightly
from tests.conftest import EDITION_2018, EDITION_2022
from tests.pdf_render import RenderOptions, render_pdf
from tests.smtp_server import LoopbackSmtp, free_port
from tests.unserver import UNServer
from warehouse.db.loaded_states import loaded_states
from warehouse.db.schema import connect
from warehouse.status import status

pytestmark = pytest.mark.timeout(300)

EDITIONS = ["A/73/328-S/2018/592", "A/77/277-S/2022/606"]
FAST_HTTP = {
    "requests_per_second": 0,
    "retries": 0,
    "backoff_factor": 0.01,
    "connect_timeout": 2.0,
    "read_timeout": 5.0,
}
CHANGED_PARAGRAPH = 41
ADDED_SENTENCE = " Elle a aussi travaillé avec la CEDEAO sur ce programme."


def _pdf(
    folder: Path, blocks: list[Block], symbols: tuple[str, ...], job: str, **layout: Any
) -> bytes:
    path = folder / f"{symbols[0].replace('/', '-')}-{job}{'-reissue' if layout else ''}.pdf"
    render_pdf(blocks, path, RenderOptions(symbols=symbols, job_number=job, **layout))
    return path.read_bytes()


def _with_paragraph_changed(blocks: list[Block], number: int, sentence: str) -> list[Block]:
    """The blocks with `sentence` added to numbered paragraph `number`."""
    return [
        dataclasses.replace(block, text=block.text + sentence)
        if block.kind == "numbered" and block.number == number
        else block
        for block in blocks
    ]


@dataclasses.dataclass
class Step:
    """What one run left behind: its result (or error), the status, mail and requests."""

    result: dict[str, Any]
    status: dict[str, Any]
    mails: list[Any]
    requests: list[Any]


@dataclasses.dataclass
class Story:
    folder: Path
    steps: list[Step]

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.folder / "data" / "cw.duckdb"), read_only=True)
        try:
            return con.execute(sql, parameters or []).fetchall()
        finally:
            con.close()

    def run_id(self, step: int) -> str:
        return self.steps[step].result["run_id"]


def _status(db: Path) -> dict[str, Any]:
    from datetime import date

    con = connect(db)
    try:
        return status(con, date.today())
    finally:
        con.close()


@pytest.fixture(scope="module")
def story(tmp_path_factory, prefect_harness) -> Iterator[Story]:
    folder = tmp_path_factory.mktemp("trust")
    pdfs = tmp_path_factory.mktemp("trust-pdfs")
    blocks_2018, _ = read_file(EDITION_2018)
    blocks_2022, _ = read_file(EDITION_2022)
    symbols_2022 = ("A/77/277", "S/2022/606")
    bodies = {
        "2018": _pdf(pdfs, blocks_2018, ("A/73/328", "S/2018/592"), "18-13651"),
        "2022": _pdf(pdfs, blocks_2022, symbols_2022, "22-12374"),
        # A reissue for technical reasons, as the UN prints one: the job number starred on
        # every page, the first page's job line and barcode, footers on the other side.
        "2022-rerendered": _pdf(
            pdfs,
            blocks_2022,
            symbols_2022,
            "22-12374",
            job_mark="*",
            first_page_job_line=True,
            swap_sides=True,
        ),
        "2022-changed": _pdf(
            pdfs,
            _with_paragraph_changed(blocks_2022, CHANGED_PARAGRAPH, ADDED_SENTENCE),
            symbols_2022,
            "22-12376",
        ),
    }
    db = folder / "data" / "cw.duckdb"
    port = free_port()
    with pytest.MonkeyPatch.context() as patch, UNServer() as server, LoopbackSmtp(port) as smtp:
        patch.setenv("COOPWATCH_SMTP_HOST", "127.0.0.1")
        patch.setenv("COOPWATCH_SMTP_PORT", str(port))
        patch.setenv("COOPWATCH_MAIL_FROM", "coopwatch@example.org")
        patch.setenv("COOPWATCH_MAIL_TO", "desk@example.org")
        server.add_document("A/73/328", "fr", bodies["2018"])
        server.add_document("A/77/277", "fr", bodies["2022"])

        def before_run(step: int) -> dict[str, Any]:
            if step == 1:
                server.add_document("A/77/277", "fr", bodies["2022-rerendered"])
            elif step == 2:
                server.add_document("A/77/277", "fr", bodies["2022-changed"])
            elif step == 3:
                server.set_behaviour("A/73/328", "fr", "html")
            elif step == 4:
                server.set_behaviour("A/73/328", "fr", "ok")
            elif step == 5:
                server.set_behaviour("A/73/328", "fr", "html")
                server.set_behaviour("A/77/277", "fr", "html")
                return {"fetch_cited": True, "breaker_misses": 2}
            return {"fetch_cited": False}

        steps = []
        for step in range(6):
            parameters = {
                "source": server.base_url,
                "db_path": str(db),
                "outbox_dir": str(folder / "outbox"),
                "reports_dir": str(folder / "reports"),
                "editions": EDITIONS,
                "http": FAST_HTTP,
                "discover": False,
                **before_run(step),
            }
            mails, requests = len(smtp.received), len(server.log)
            result = nightly(**parameters)
            steps.append(
                Step(
                    result,
                    _status(db),
                    list(smtp.received[mails:]),
                    list(server.log[requests:]),
                )
            )
        yield Story(folder, steps)


def test_cold_run_mails_one_digest_and_one_overdue_alert(story: Story) -> None:
    subjects = [mail.message["Subject"] for mail in story.steps[0].mails]
    assert len(subjects) == 2, subjects
    assert any("A/77/277 vs A/73/328" in subject for subject in subjects)
    assert any("overdue" in subject for subject in subjects)


def test_overdue_alert_is_not_sent_again_on_the_next_run(story: Story) -> None:
    later = [mail.message["Subject"] for step in story.steps[1:] for mail in step.mails]
    assert not any("overdue" in subject for subject in later)
    assert story.steps[0].status["overdue"] is True
    alerts = story.query("SELECT kind, state FROM alerts WHERE kind = 'edition_overdue'")
    assert alerts == [("edition_overdue", "alerting")]


def test_rerendered_copy_is_one_reissue_without_events_or_email(story: Story) -> None:
    step = story.steps[1]
    reissues = story.query(
        "SELECT symbol, content_changed FROM reissues WHERE run_id = ?", [story.run_id(1)]
    )
    assert reissues == [("A/77/277", False)]
    assert step.result["counts"]["reissued"] == 1
    assert step.result["counts"].get("change_events", 0) == 0
    assert step.mails == []
    stored = story.query("SELECT count(*) FROM edition_diffs WHERE run_id = ?", [story.run_id(1)])
    assert stored == [(0,)]
    assert [r["content_changed"] for r in step.status["reissues"]] == [False]


def test_copy_with_a_paragraph_changed_gives_events_labelled_reissue(story: Story) -> None:
    step = story.steps[2]
    reissues = story.query(
        "SELECT symbol, content_changed FROM reissues WHERE run_id = ?", [story.run_id(2)]
    )
    assert reissues == [("A/77/277", True)]
    events = story.query(
        "SELECT kind, subject, change, is_reissue, evidence_new FROM change_events "
        "WHERE old_symbol = 'A/77/277' AND new_symbol = 'A/77/277' AND change <> 'unchanged'"
    )
    assert ("mention", "ECOWAS", "first_named", True, [CHANGED_PARAGRAPH]) in events
    assert all(is_reissue for _, _, _, is_reissue, _ in events)
    edition_events = story.query(
        "SELECT count(*) FROM change_events WHERE old_symbol <> new_symbol AND is_reissue"
    )
    assert edition_events == [(0,)]
    assert len(step.mails) == 1
    message = step.mails[0].message
    assert "A/77/277 reissued" in message["Subject"]
    assert "(reissue)" in message.get_body(preferencelist=("plain",)).get_content()


def test_answer_not_found_for_a_held_edition_is_a_suspect_absence(story: Story) -> None:
    step = story.steps[3]
    assert step.result["counts"]["suspect"] == 1
    suspects = [(s["symbol"], s["language"]) for s in step.status["suspect_absences"]]
    assert suspects == [("A/73/328", "fr")]
    assert loaded_states(story.folder / "data" / "cw.duckdb").keys() >= {("A/73/328", "fr")}
    stored = story.query("SELECT count(*) FROM edition_diffs WHERE run_id = ?", [story.run_id(3)])
    assert stored == [(0,)]
    assert step.mails == []
    assert "suspect absence" in step.result["report"]
    runs = story.query("SELECT status FROM runs WHERE run_id = ?", [story.run_id(3)])
    assert runs == [("completed",)]


def test_suspicion_clears_when_the_server_answers_again(story: Story) -> None:
    step = story.steps[4]
    assert step.status["suspect_absences"] == []
    assert step.result["counts"]["not_modified"] == 2
    assert step.mails == []


def test_breaker_opens_after_k_misses_and_the_run_completes_with_a_manifest(
    story: Story,
) -> None:
    step = story.steps[5]
    asked = [entry for entry in step.requests if entry.path == "/api/symbol/access"]
    asked_symbols = {entry.query["s"][0] for entry in asked}
    assert asked and all(s.startswith(("A/73/328", "A/77/277")) for s in asked_symbols)
    counts = step.result["counts"]
    assert counts["suspect"] == 2 and counts["cited_skipped"] > 0
    assert (
        "circuit breaker opened for 127.0.0.1 after 2 consecutive misses" in (step.result["report"])
    )
    manifest = story.query(
        "SELECT status, suspect_count, skipped_count, open_breakers, documents "
        "FROM run_manifests WHERE run_id = ?",
        [story.run_id(5)],
    )
    assert len(manifest) == 1
    run_status, suspect, skipped, breakers, documents = manifest[0]
    assert (run_status, suspect, breakers) == ("completed", 2, ["127.0.0.1"])
    assert skipped == counts["cited_skipped"]
    outcomes = {(d["symbol"], d["outcome"]) for d in json.loads(documents)}
    assert {("A/73/328", "suspect_absence"), ("A/77/277", "suspect_absence")} <= outcomes
    assert step.mails == []


def test_every_run_writes_a_manifest_with_hashes(story: Story) -> None:
    rows = story.query(
        "SELECT run_id, fetched_count, reissued_count, gates_passed_count, gates_failed_count, "
        "event_count, email_count, documents FROM run_manifests"
    )
    by_run = {row[0]: row[1:] for row in rows}
    assert set(by_run) == {story.run_id(step) for step in range(6)}
    fetched, reissued, passed, failed, events, emails, documents = by_run[story.run_id(0)]
    assert (fetched, reissued, passed, failed, emails) == (2, 0, 2, 0, 1)
    assert events > 0
    hashes = {d["symbol"]: d["sha256"] for d in json.loads(documents)}
    loaded = dict(
        story.query("SELECT symbol, sha256 FROM parses WHERE run_id = ?", [story.run_id(0)])
    )
    assert hashes == loaded
    assert by_run[story.run_id(1)][1] == 1
