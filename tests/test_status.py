"""`status`: the operator's view of a warehouse holding the real editions, with runs, fetches,
a reissue, a similarity and a failed gate recorded the way the nightly run records them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest
from conftest import EDITION_2022
from warehouse_editions import enriched_editions, load_editions, sha256_of

from extractors.gate import run_gate
from warehouse.diff.diff_store import store_diff
from warehouse.diff.edition_diff import diff_editions
from warehouse.diff.similarity import compare_editions, store_similarity
from warehouse.load.ledger import (
    failed_gates,
    gate_failures,
    mark_gate_failures,
    record_parse,
)
from warehouse.load.loader import load_report, record_fetch
from warehouse.status import format_status, status

SHA_2022 = sha256_of(EDITION_2022)
REISSUED_SHA = "f" * 64
TODAY = date(2024, 9, 15)


def fetch(con, symbol: str, outcome: str, at: str, sha256: str | None = None) -> None:
    record_fetch(
        con,
        run_id="run-fetch",
        symbol=symbol,
        language="fr",
        url=f"https://documents.un.org/{symbol}",
        final_url=None,
        status=200,
        bytes=100,
        sha256=sha256,
        etag=None,
        last_modified=None,
        outcome=outcome,
        error=None,
    )
    con.execute(
        "UPDATE fetches SET fetched_at = ? WHERE fetch_id = (SELECT max(fetch_id) FROM fetches)",
        [datetime.fromisoformat(at)],
    )


def add_run(con, run_id: str, status_: str, finished: str) -> None:
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, status) VALUES (?, ?, ?, ?)",
        [run_id, datetime.fromisoformat(finished), datetime.fromisoformat(finished), status_],
    )


@pytest.fixture
def con(tmp_path):
    con = load_editions(tmp_path / "w.duckdb")
    yield con
    con.close()


def test_fresh_warehouse_status(con) -> None:
    state = status(con, TODAY)
    assert state == {
        # A new file is written in the storage version DuckDB 1.1 reads (format 64, "v1.0.0+").
        "warehouse_file": {"storage_version": "v1.0.0+", "opens_in_duckdb_from": "1.1"},
        "editions": [
            {
                "symbol": "A/73/328",
                "year": 2018,
                "previous": "A/71/160",
                "similarity_to_previous": None,
                "section_changes": {},
            },
            {
                "symbol": "A/77/277",
                "year": 2022,
                "previous": "A/73/328",
                "similarity_to_previous": None,
                "section_changes": {},
            },
        ],
        "languages": ["fr"],
        "next_edition_expected": "2024-08",
        "overdue": False,
        "last_success": None,
        "last_command": None,
        "reissues": [],
        "suspect_absences": [],
        "rechecks": [],
        "failed_gates": [],
        "companions": [],
        # No resolution is loaded: the coverage of the newest edition is unknown, not clean.
        "mandate_check": {
            "edition": "A/77/277",
            "coverage": "unknown: no resolutions loaded",
            "resolutions_loaded": 0,
            "cooperation_resolutions_loaded": 0,
        },
        "mandate_coverage": [],
        "language_agreement": [],
    }
    assert json.loads(json.dumps(state)) == state
    text = format_status(state)
    assert "Mandate coverage: unknown: no resolutions are loaded, so no edition can be " in text
    assert "none open" not in text


def test_status_after_runs_reissue_absences_and_a_failed_gate(con) -> None:
    old, new = enriched_editions()
    similarity = compare_editions(old, new)
    store_similarity(con, similarity, run_id="run-2")
    store_diff(con, diff_editions(old, new), run_id="run-2")
    add_run(con, "run-1", "completed", "2024-09-01T02:00:00")
    add_run(con, "run-2", "completed", "2024-09-02T02:00:00")
    add_run(con, "run-3", "failed", "2024-09-03T02:00:00")
    # The 2022 edition served again with other bytes, same text: a reissue, content unchanged.
    assert load_report(con, new, run_id="run-3", sha256=REISSUED_SHA, source_url=None)
    # 2018 was fetched, then the ODS started answering "absent": a suspect absence.
    fetch(con, "A/73/328", "downloaded", "2024-09-01T01:00:00", sha256="a" * 64)
    fetch(con, "A/73/328", "absent", "2024-09-02T01:00:00")
    fetch(con, "A/73/328", "failed", "2024-09-02T12:00:00")
    fetch(con, "A/73/328", "absent", "2024-09-03T01:00:00")
    # 2022 was absent once, then served again: the suspicion cleared.
    fetch(con, "A/77/277", "absent", "2024-09-02T01:00:00")
    fetch(con, "A/77/277", "unchanged_hash", "2024-09-03T01:00:00", sha256=REISSUED_SHA)
    # A cited resolution never yet on the ODS: waiting for its recheck.
    fetch(con, "A/RES/78/999", "absent", "2024-09-01T01:00:00")
    fetch(con, "A/RES/78/999", "absent", "2024-09-02T01:00:00")
    # The reissued 2022 parse lost a paragraph: its gate failed.
    lossy = replace(new, paragraphs=tuple(p for p in new.paragraphs if p.number != 50))
    gate = run_gate(lossy, EDITION_2022.read_bytes(), name="A-77-277_fr.pdf.txt")
    assert not record_parse(con, new, sha256=REISSUED_SHA, gate=gate, run_id="run-3")

    state = status(con, date(2024, 11, 2))
    assert state["editions"][1] == {
        "symbol": "A/77/277",
        "year": 2022,
        "previous": "A/73/328",
        "similarity_to_previous": similarity.overall.similarity,
        # The sections read in the two texts (tests/test_diff_golden.py): OECD new; CPLP, IOM
        # and the joint OPCW/CTBTO chapter gone; seven grew, six shrank.
        "section_changes": {"appeared": 1, "vanished": 3, "grew": 7, "shrank": 6},
    }
    assert (state["next_edition_expected"], state["overdue"]) == ("2024-08", True)
    assert state["last_success"] == "2024-09-02T02:00:00"
    assert [{k: v for k, v in r.items() if k != "detected_at"} for r in state["reissues"]] == [
        {
            "symbol": "A/77/277",
            "language": "fr",
            "old_sha256": SHA_2022,
            "new_sha256": REISSUED_SHA,
            "content_changed": False,
        }
    ]
    assert state["suspect_absences"] == [
        {"symbol": "A/73/328", "language": "fr", "since": "2024-09-02T01:00:00"}
    ]
    assert state["rechecks"] == [
        {
            "symbol": "A/RES/78/999",
            "language": "fr",
            "absent_since": "2024-09-01T01:00:00",
            "last_checked": "2024-09-02T01:00:00",
            "attempts": 2,
            "next_recheck": "2024-11-02",
            "every_run_until": "2024-10-15",
        }
    ]
    [failure] = state["failed_gates"]
    assert (failure["symbol"], failure["sha256"]) == ("A/77/277", REISSUED_SHA)
    assert any("consecutive content words" in reason for reason in failure["reasons"])
    assert json.loads(json.dumps(state)) == state

    text = format_status(state)
    assert "A/77/277 (2022): " in text and "similar to A/73/328" in text
    assert "similar to A/73/328; sections: 1 appeared, 3 vanished, 7 grew, 6 shrank" in text
    assert "Next edition expected: 2024-08 — OVERDUE" in text
    assert "A/73/328 (fr): reported absent since 2024-09-02T01:00:00" in text
    assert "A/RES/78/999 (fr): not on the ODS since 2024-09-01T01:00:00, 2 attempt(s)" in text
    assert "Failed gates: 1" in text


def test_suspicion_clears_when_the_document_is_served_again(con) -> None:
    fetch(con, "A/73/328", "absent", "2024-09-02T01:00:00")
    assert status(con, TODAY)["suspect_absences"] == [
        {"symbol": "A/73/328", "language": "fr", "since": "2024-09-02T01:00:00"}
    ]
    fetch(con, "A/73/328", "not_modified", "2024-09-03T01:00:00", sha256="a" * 64)
    assert status(con, TODAY)["suspect_absences"] == []


def test_record_parse_stores_ledger_and_gate(con) -> None:
    _, new = enriched_editions()
    data = EDITION_2022.read_bytes()
    gate = run_gate(new, data, name="A-77-277_fr.pdf.txt")
    assert record_parse(con, new, sha256=SHA_2022, gate=gate, run_id="run-gate")
    row = con.execute(
        "SELECT blocks_in, placed, dropped_count, gate_passed, ledger_balanced, gate_method, "
        "gate_coverage, gate_threshold, gate_reasons, run_id FROM parses "
        "WHERE symbol = 'A/77/277' AND sha256 = ?",
        [SHA_2022],
    ).fetchall()
    assert row == [(161, 154, 7, True, True, "raw-text", gate.coverage, 0.97, [], "run-gate")]
    assert failed_gates(con) == []
    assert gate_failures(con, ["A/73/328", "A/77/277"], "fr") == []


def test_failed_gate_marks_the_diff_uncertain(con) -> None:
    from warehouse.diff.edition_diff import diff_editions

    old, new = enriched_editions()
    lossy = replace(new, paragraphs=tuple(p for p in new.paragraphs if p.number != 50))
    gate = run_gate(lossy, EDITION_2022.read_bytes(), name="A-77-277_fr.pdf.txt")
    record_parse(con, new, sha256=SHA_2022, gate=gate, run_id="run-gate")
    failures = gate_failures(con, ["A/73/328", "A/77/277"], "fr")
    assert failures and failures[0].startswith("A/77/277 (fr): text-preservation gate failed: ")
    untouched = diff_editions(old, new)
    diff = mark_gate_failures(untouched, failures)
    assert diff.uncertain and all(event.uncertain for event in diff.events)
    assert set(failures) <= set(diff.uncertain_reasons)
    assert mark_gate_failures(untouched, []) is untouched
