"""Runs recorded in the warehouse: start, finish, counts, and the latest runs first."""

from __future__ import annotations

from datetime import UTC

import pytest

from warehouse.db.schema import connect
from warehouse.runs.run_rows import finish_run, last_runs, start_run


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def test_started_run_is_running_until_finished(con) -> None:
    start_run(con, run_id="r1", source="bundled", parameters={"languages": ["fr"], "db": "x"})
    (run,) = last_runs(con, 1)
    assert (run.run_id, run.status, run.source, run.finished_at) == (
        "r1",
        "running",
        "bundled",
        None,
    )
    assert run.parameters == {"db": "x", "languages": ["fr"]}
    finish_run(
        con,
        run_id="r1",
        status="completed",
        counts={"fetched": 2, "parsed": 1},
        email_status="sent",
        error=None,
    )
    (run,) = last_runs(con, 1)
    assert (run.status, run.counts, run.email_status, run.error) == (
        "completed",
        {"fetched": 2, "parsed": 1},
        "sent",
        None,
    )
    assert run.finished_at is not None and run.finished_at >= run.started_at


def test_last_runs_are_newest_first(con) -> None:
    for run_id in ("r1", "r2", "r3"):
        start_run(con, run_id=run_id, source="bundled", parameters={})
    assert [run.run_id for run in last_runs(con)] == ["r3", "r2"]
    assert [run.run_id for run in last_runs(con, 5)] == ["r3", "r2", "r1"]


def test_failure_can_be_recorded_where_the_run_never_started(con) -> None:
    finish_run(
        con,
        run_id="lost",
        status="failed",
        counts={},
        email_status=None,
        error="A/77/277 (fr): parse failed",
    )
    (run,) = last_runs(con, 1)
    assert (run.run_id, run.status, run.error, run.source, run.counts) == (
        "lost",
        "failed",
        "A/77/277 (fr): parse failed",
        None,
        {},
    )


def test_an_ended_run_is_one_row_and_a_retry_of_its_id_replaces_it(con) -> None:
    from datetime import datetime

    from warehouse.runs.run_rows import record_ended_run

    started = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    for status, counts in (("failed", {"failed": 1}), ("completed", {"unchanged": 2})):
        record_ended_run(
            con,
            run_id="nightly-1",
            source="bundled",
            parameters={"languages": ["fr"]},
            started_at=started,
            status=status,
            counts=counts,
            email_status="nothing to send",
            error=None if status == "completed" else "A/77/277 (fr): broken",
        )
    (run,) = last_runs(con, 5)
    assert (run.run_id, run.status, run.counts, run.error, run.parameters) == (
        "nightly-1",
        "completed",
        {"unchanged": 2},
        None,
        {"languages": ["fr"]},
    )
    assert run.started_at.replace(tzinfo=UTC) == started and run.finished_at is not None
