"""Rechecks of cited documents not yet on the ODS: every run while the newest edition citing
them is recent, then once every few days; decided from `fetches` and `citations` with a
fixed `today`, plus one flow that leaves rechecks for later, then asks again when told to."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import EDITION_2018
from warehouse_editions import load_editions

from common.errors import CoopWatchError
from pipeline.fetch_rechecks import LaterRecheck, note_later_rechecks, plan_rechecks
from warehouse.load.loader import record_fetch
from warehouse.runs.fetch_state import (
    RecheckPolicy,
    WaitingDocument,
    citing_edition_dates,
    read_fetch_knowledge,
    recheck_policy,
    waiting_documents,
)
from warehouse.runs.run_account import RunSummary
from warehouse.status import format_status, status

TODAY = date(2024, 11, 2)
POLICY = RecheckPolicy(window_days=45, every_days=7)


def fetch(con, symbol: str, language: str, outcome: str, at: str) -> None:
    """Record one fetch the way the nightly run does, at a chosen time."""
    record_fetch(
        con,
        run_id="run-fetch",
        symbol=symbol,
        language=language,
        url=f"http://127.0.0.1:9/api/symbol/access?s={symbol}",
        final_url=None,
        status=404 if outcome == "absent" else 200,
        bytes=100,
        sha256=None if outcome == "absent" else "a" * 64,
        etag=None,
        last_modified=None,
        outcome=outcome,
        error=None,
    )
    con.execute(
        "UPDATE fetches SET fetched_at = ? WHERE fetch_id = (SELECT max(fetch_id) FROM fetches)",
        [datetime.fromisoformat(at)],
    )


@pytest.mark.parametrize(
    ("appeared", "last_checked", "expected"),
    [
        (date(2024, 10, 1), date(2024, 11, 1), TODAY),  # inside the window: every run
        (date(2024, 9, 19), date(2024, 11, 1), TODAY),  # 44 days on: last day of the window
        (date(2024, 9, 18), date(2024, 11, 1), date(2024, 11, 8)),  # 45 days on: weekly
        (date(2024, 9, 17), date(2024, 10, 26), TODAY),  # a week since the last check
        (date(2018, 8, 17), date(2024, 10, 27), date(2024, 11, 3)),
    ],
)
def test_next_recheck_every_run_in_the_window_then_weekly(
    appeared: date, last_checked: date, expected: date
) -> None:
    assert POLICY.next_recheck(appeared, last_checked, TODAY) == expected
    assert POLICY.is_due(appeared, last_checked, TODAY) is (expected == TODAY)


def test_window_end_counts_the_configured_days() -> None:
    assert POLICY.window_end(date(2024, 9, 17)) == date(2024, 11, 1)
    assert RecheckPolicy(window_days=0).window_end(TODAY) == TODAY


def test_recheck_policy_reads_the_environment() -> None:
    assert recheck_policy({}) == RecheckPolicy(45, 7)
    policy = recheck_policy({"COOPWATCH_RECHECK_DAYS": "90", "COOPWATCH_RECHECK_EVERY_DAYS": "3"})
    assert policy == RecheckPolicy(90, 3)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"COOPWATCH_RECHECK_DAYS": "six weeks"}, "COOPWATCH_RECHECK_DAYS: 'six weeks' is not"),
        ({"COOPWATCH_RECHECK_DAYS": "-1"}, "COOPWATCH_RECHECK_DAYS: -1 must be 0 or more"),
        ({"COOPWATCH_RECHECK_EVERY_DAYS": "0"}, "COOPWATCH_RECHECK_EVERY_DAYS: 0 must be 1"),
    ],
)
def test_recheck_policy_names_a_bad_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(CoopWatchError, match=message):
        recheck_policy(environ)


def test_session_reads_the_policy_before_any_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.fetch_session import open_session

    monkeypatch.setenv("COOPWATCH_RECHECK_DAYS", "90")
    session = open_session("http://127.0.0.1:9", tmp_path / "cw.duckdb", None, None)
    session.close()
    assert session.recheck == RecheckPolicy(90, 7)
    monkeypatch.setenv("COOPWATCH_RECHECK_EVERY_DAYS", "weekly")
    with pytest.raises(CoopWatchError, match="COOPWATCH_RECHECK_EVERY_DAYS: 'weekly'"):
        open_session("http://127.0.0.1:9", tmp_path / "cw.duckdb", None, None)


def waiting(symbol: str, language: str, appeared: date, last: str, first: str = "2024-09-01"):
    return WaitingDocument(
        symbol=symbol,
        language=language,
        absent_since=datetime.fromisoformat(first),
        last_checked=datetime.fromisoformat(last),
        attempts=3,
        appeared=appeared,
    )


def test_plan_rechecks_leaves_only_old_waiting_documents_for_later() -> None:
    old, recent = date(2018, 8, 17), date(2024, 10, 1)
    known = {
        ("A/RES/72/273", "fr"): waiting("A/RES/72/273", "fr", old, "2024-10-30T03:00"),
        ("A/RES/72/273", "en"): waiting("A/RES/72/273", "en", old, "2024-10-30T03:01"),
        ("A/RES/75/1", "fr"): waiting("A/RES/75/1", "fr", recent, "2024-11-01T03:00"),
        ("A/RES/75/1", "en"): waiting("A/RES/75/1", "en", recent, "2024-11-01T03:00"),
        ("S/RES/1809(2008)", "en"): waiting("S/RES/1809(2008)", "en", old, "2024-10-30T03:00"),
        ("S/2016/621", "en"): waiting("S/2016/621", "en", old, "2024-10-20T03:00"),
    }
    targets = [
        ("A/RES/72/273", "fr"),  # both languages waiting, checked 3 days ago: later
        ("A/RES/75/1", "fr"),  # cited by a recent edition: every run
        ("S/RES/1809(2008)", "fr"),  # French never asked: now
        ("S/2016/621", "en"),  # English only, checked 13 days ago: now
        ("A/RES/99/1", "fr"),  # never asked: now
    ]
    now, later = plan_rechecks(targets, known, POLICY, TODAY)
    assert now == targets[1:]
    assert later == [
        LaterRecheck("A/RES/72/273", "fr", datetime.fromisoformat("2024-09-01"), date(2024, 11, 6))
    ]


def test_skipped_rechecks_are_one_note_and_a_count() -> None:
    later = [
        LaterRecheck(f"A/RES/79/{n}", "fr", datetime(2024, 9, 1), date(2024, 11, 6))
        for n in range(1, 23)
    ]
    summary = note_later_rechecks(later, POLICY)
    assert summary.counts == {"cited_recheck_later": 22}
    [note] = summary.notes
    assert note.startswith("22 cited document(s) not on the ODS not rechecked this run")
    assert "over 45 days ago, so they are asked once every 7 days" in note
    assert "A/RES/79/1 (fr, absent since 2024-09-01, next 2024-11-06)" in note
    assert "A/RES/79/21" not in note and note.endswith("and 2 more (see `coopwatch status`)")
    assert note_later_rechecks([], POLICY) == RunSummary()


@pytest.fixture
def con(tmp_path: Path):
    con = load_editions(tmp_path / "w.duckdb")
    # The 2022 edition has no date in its text: it appeared when it was first fetched.
    fetch(con, "A/77/277", "fr", "downloaded", "2024-09-20T03:00:00")
    fetch(con, "A/77/277", "fr", "not_modified", "2024-10-20T03:00:00")
    yield con
    con.close()


def test_citing_edition_dates_use_the_date_else_the_first_fetch(con) -> None:
    dates = citing_edition_dates(con)
    assert dates["A/RES/72/273"] == date(2018, 8, 17)  # cited by 2018 only, dated
    assert dates["A/RES/75/1"] == date(2024, 9, 20)  # cited by 2022 only, first fetched
    assert dates["S/PRST/2013/12"] == date(2024, 9, 20)  # cited by both: the newest
    assert "A/RES/99/1" not in dates


def test_waiting_documents_are_never_held_and_always_absent(con) -> None:
    fetch(con, "A/RES/72/273", "fr", "absent", "2024-09-21T03:00:00")
    fetch(con, "A/RES/72/273", "en", "absent", "2024-09-21T03:00:01")
    fetch(con, "A/RES/72/273", "fr", "absent", "2024-10-30T03:00:00")
    fetch(con, "A/RES/75/1", "fr", "absent", "2024-10-30T03:00:00")
    fetch(con, "A/RES/99/1", "fr", "absent", "2024-10-01T03:00:00")
    # Held in English: on the ODS, so not waiting even though French is absent.
    fetch(con, "S/RES/1809(2008)", "fr", "absent", "2024-10-30T03:00:00")
    fetch(con, "S/RES/1809(2008)", "en", "downloaded", "2024-10-30T03:00:01")
    # Transport failures say nothing about the document: not waiting.
    fetch(con, "S/2016/621", "fr", "failed", "2024-10-30T03:00:00")
    found = {(w.symbol, w.language): w for w in waiting_documents(con)}
    assert sorted(found) == [
        ("A/RES/72/273", "en"),
        ("A/RES/72/273", "fr"),
        ("A/RES/75/1", "fr"),
        ("A/RES/99/1", "fr"),
    ]
    french = found[("A/RES/72/273", "fr")]
    assert (french.absent_since, french.last_checked, french.attempts, french.appeared) == (
        datetime(2024, 9, 21, 3),
        datetime(2024, 10, 30, 3),
        2,
        date(2018, 8, 17),
    )
    assert found[("A/RES/75/1", "fr")].appeared == date(2024, 9, 20)
    assert found[("A/RES/99/1", "fr")].appeared == date(2024, 10, 1)  # its first absence


def test_status_lists_rechecks_with_their_next_date(con) -> None:
    fetch(con, "A/RES/72/273", "fr", "absent", "2024-10-30T03:00:00")
    fetch(con, "A/RES/75/1", "fr", "absent", "2024-10-30T03:00:00")
    state = status(con, TODAY, recheck=POLICY)
    assert state["rechecks"] == [
        {
            "symbol": "A/RES/72/273",
            "language": "fr",
            "absent_since": "2024-10-30T03:00:00",
            "last_checked": "2024-10-30T03:00:00",
            "attempts": 1,
            "next_recheck": "2024-11-06",
            "every_run_until": "2018-09-30",
        },
        {
            "symbol": "A/RES/75/1",
            "language": "fr",
            "absent_since": "2024-10-30T03:00:00",
            "last_checked": "2024-10-30T03:00:00",
            "attempts": 1,
            "next_recheck": "2024-11-02",
            "every_run_until": "2024-11-03",
        },
    ]
    assert json.loads(json.dumps(state)) == state
    text = format_status(state)
    assert (
        "A/RES/72/273 (fr): not on the ODS since 2024-10-30T03:00:00, 1 attempt(s); "
        "next recheck 2024-11-06 (every run until 2018-09-30)"
    ) in text
    later = status(con, TODAY + timedelta(days=3), recheck=POLICY)["rechecks"]
    assert [r["next_recheck"] for r in later] == ["2024-11-06", "2024-11-06"]


def test_fetch_knowledge_carries_the_waiting_documents(con, tmp_path: Path) -> None:
    fetch(con, "A/RES/75/1", "fr", "absent", "2024-10-30T03:00:00")
    con.close()
    knowledge = read_fetch_knowledge(tmp_path / "w.duckdb")
    assert list(knowledge.waiting) == [("A/RES/75/1", "fr")]
    assert knowledge.waiting[("A/RES/75/1", "fr")].appeared == date(2024, 9, 20)


# The flow: one edition whose citations are all absent but one, run three times.
SERVED_RESOLUTION = "S/RES/1809(2008)"


@pytest.fixture(scope="module")
def edition_2018_pdf(tmp_path_factory) -> bytes:
    from extractors.readers.route import read_file
    from tests.pdf_render import RenderOptions, render_pdf

    blocks, _ = read_file(EDITION_2018)
    # Rendered without its issue date, so that the edition appears when first fetched (today).
    blocks = [replace(block, text=block.text.replace(" 17 août 2018", "")) for block in blocks]
    path = tmp_path_factory.mktemp("recheck-pdf") / "A-73-328.pdf"
    render_pdf(blocks, path, RenderOptions(symbols=("A/73/328", "S/2018/592"), job_number="1"))
    return path.read_bytes()


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.timeout(120)
def test_flow_leaves_rechecks_for_later_outside_the_window_and_says_so(
    tmp_path: Path, prefect_harness, edition_2018_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly import nightly
    from tests.test_flow_remote import FAST_HTTP, SC_RESOLUTION_FR
    from tests.unserver import UNServer

    db = tmp_path / "data" / "cw.duckdb"
    monkeypatch.delenv("COOPWATCH_RECHECK_DAYS", raising=False)
    with UNServer() as server:
        server.add_document("A/73/328", "fr", edition_2018_pdf)
        server.add_document(SERVED_RESOLUTION, "fr", SC_RESOLUTION_FR)

        def run() -> tuple[dict, set[str]]:
            mark = len(server.log)
            result = nightly(
                source=server.base_url,
                db_path=str(db),
                outbox_dir=str(tmp_path / "outbox"),
                reports_dir=str(tmp_path / "reports"),
                editions=["A/73/328-S/2018/592"],
                http=FAST_HTTP,
                discover=False,
            )
            asked = {e.query["s"][0] for e in server.log[mark:] if e.path == "/api/symbol/access"}
            return result, asked

        first, asked_first = run()
        waiting = {w.symbol for w in read_fetch_knowledge(db).waiting.values()}
        # A window of 0 days: the edition (first fetched today) is already outside it.
        monkeypatch.setenv("COOPWATCH_RECHECK_DAYS", "0")
        second, asked_second = run()
        monkeypatch.delenv("COOPWATCH_RECHECK_DAYS")
        third, asked_third = run()
        con = duckdb.connect(str(db), read_only=True)
        try:
            rechecks = status(con, date.today(), recheck=RecheckPolicy(window_days=0))["rechecks"]
        finally:
            con.close()

    # The rendered edition prints no date (see `edition_2018_pdf`): it appeared when it was
    # first fetched, today.
    assert _query(db, "SELECT date FROM editions") == [(None,)]
    absent = first["counts"]["cited_absent"]
    # The edition's previous report is cited too, but backward discovery asks for it as an
    # edition on every run (counted as previous_absent), outside the recheck window.
    previous = {"A/71/160"}
    assert first["counts"]["previous_absent"] == len(previous)
    cited_waiting = waiting - previous
    assert absent > 5 and len(cited_waiting) == absent and SERVED_RESOLUTION not in waiting
    assert cited_waiting <= asked_first
    # Checked today and outside the window: left for a week from now, and said so.
    assert asked_second.isdisjoint(cited_waiting)
    assert {SERVED_RESOLUTION, "A/73/328"} <= asked_second
    assert second["counts"]["cited_recheck_later"] == absent
    assert "cited_absent" not in second["counts"]
    next_week = (date.today() + timedelta(days=7)).isoformat()
    assert f"{absent} cited document(s) not on the ODS not rechecked this run" in second["report"]
    assert f"next {next_week})" in second["report"]
    assert {r["symbol"] for r in rechecks} - previous == cited_waiting
    assert {r["next_recheck"] for r in rechecks} == {next_week}
    # The default 45-day window: the edition appeared today, so every run asks again.
    assert cited_waiting <= asked_third
    assert third["counts"]["cited_absent"] == absent
    assert "cited_recheck_later" not in third["counts"]
