"""Runs recorded in the warehouse: start, finish, counts, and the latest runs first."""

from __future__ import annotations

import pytest

from warehouse.db import connect
from warehouse.runs import finish_run, last_runs, start_run


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
