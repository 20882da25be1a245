"""Parts no other test imported: the cited documents' gathering when every target waits for
a later recheck (flows/cited_tasks.py: nothing asked, one count and note), companions when
an edition has none (flows/fetch_tasks.py), Prefect's quiet local set-up
(flows/prefect_setup.py), the one PDFium lock (extractors/readers/pdfium_lock.py) and a
resolution's rows (warehouse/load/resolution_rows.py) on the CSTO resolution written for the
mandate tests (A/RES/73/20: it cites A/73/328-S/2018/592)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from extractors.derive import DerivedResolution, derive_document
from extractors.fetch.http_settings import client_config
from extractors.readers import pdf
from extractors.readers.pdfium_lock import PDFIUM_LOCK
from extractors.resolution import resolution_pdf
from flows.cited_tasks import gather_cited
from flows.fetch_tasks import fetch_companions
from flows.prefect_setup import configure_prefect
from pipeline.fetch_session import RemoteSession
from tests.mandate_fixtures import CSTO_73
from warehouse.db.schema import connect
from warehouse.load.resolution_rows import write_resolution_rows
from warehouse.runs.fetch_state import FetchKnowledge, RecheckPolicy, WaitingDocument
from warehouse.runs.run_account import RunSummary

BASE = "http://127.0.0.1:9"  # nothing listens: a fetch would fail, none is made


@pytest.fixture
def session(tmp_path: Path):
    # Absent in French and in English (the fallback), last asked three days ago, cited by an
    # edition of 2018: due again only once a week.
    waiting = {
        ("A/RES/72/273", language): WaitingDocument(
            symbol="A/RES/72/273",
            language=language,
            absent_since=datetime(2024, 9, 1),
            last_checked=datetime(2024, 10, 30, 3),
            attempts=3,
            appeared=date(2018, 8, 17),
        )
        for language in ("fr", "en")
    }
    knowledge = FetchKnowledge(waiting=waiting)
    opened = RemoteSession(BASE, tmp_path, client_config(BASE, {}), knowledge)
    yield opened
    opened.close()


def test_targets_all_left_for_later_are_one_count_and_no_fetch(session) -> None:
    fetches: list = []
    documents, account = gather_cited(
        session,
        [("A/RES/72/273", "fr")],
        fetches,
        {},
        False,
        today=date(2024, 11, 2),
        policy=RecheckPolicy(window_days=45, every_days=7),
    )
    assert documents == [] and fetches == []
    assert account.counts == {"cited_recheck_later": 1}
    assert account.notes[0].startswith("1 cited document(s) not on the ODS not rechecked")


def test_an_edition_without_companions_fetches_none(session) -> None:
    assert fetch_companions(session, [], [], [], {}, False) == ([], RunSummary())


def test_configure_prefect_keeps_what_is_set_and_fills_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("PREFECT_HOME", "PREFECT_LOGGING_LEVEL", "DO_NOT_TRACK"):
        monkeypatch.setenv(key, "placeholder")
        monkeypatch.delenv(key)
    monkeypatch.setenv("COOPWATCH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "DEBUG")
    configure_prefect()
    assert os.environ["PREFECT_HOME"] == str(tmp_path / "data" / "prefect")
    assert (tmp_path / "data" / "prefect").is_dir()
    assert os.environ["PREFECT_LOGGING_LEVEL"] == "DEBUG" and os.environ["DO_NOT_TRACK"] == "1"


def test_every_pdfium_user_shares_the_one_lock() -> None:
    assert pdf.PDFIUM_LOCK is PDFIUM_LOCK is resolution_pdf.PDFIUM_LOCK


def test_a_resolutions_rows_are_replaced_not_added(tmp_path: Path) -> None:
    derived = derive_document(CSTO_73, name="A-RES-73-20_en.xml")
    assert isinstance(derived, DerivedResolution)
    con = connect(tmp_path / "cw.duckdb")
    try:
        write_resolution_rows(con, derived, run_id="run-1")
        first = con.execute("SELECT count(*) FROM resolution_paragraphs").fetchone()
        write_resolution_rows(con, derived, run_id="run-2")
        again = con.execute("SELECT count(*) FROM resolution_paragraphs").fetchone()
        row = con.execute("SELECT symbol, language, run_id FROM resolutions").fetchall()
    finally:
        con.close()
    assert first == again and first is not None and first[0] > 0
    assert row == [("A/RES/73/20", "en", "run-2")]
