"""Runs recorded in the warehouse: start, finish, counts, and the latest runs first."""

from __future__ import annotations

from datetime import UTC, datetime

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


def _send(**fields: object) -> str:
    from notify.delivery import SendReport

    return SendReport(**fields).status  # type: ignore[arg-type]


def test_email_status_holds_only_the_documented_values_and_the_line_beside_it(con) -> None:
    from warehouse.runs.email_states import EMAIL_STATES
    from warehouse.runs.run_rows import record_ended_run

    lines = {
        "quiet": (_send(), "none", None),
        "sent": (_send(sent=["a"]), "sent", "sent 1 (eml)"),
        "retry": (
            _send(sent=[], retrying=["a"], errors={"a": "refused: 421"}, method="smtp"),
            "pending",
            "sent 0 (smtp), 1 pending after an error: refused: 421",
        ),
        "gave-up": (_send(sent=["a"], gave_up=["b"]), "failed", None),
        "locked": (_send(locked_out=True), "pending", None),
        "never-sent": ("none", "none", None),
    }
    for run_id, (line, _, _) in lines.items():
        record_ended_run(
            con,
            run_id=run_id,
            source="bundled",
            parameters={},
            started_at=datetime(2026, 12, 4, 3, 0),
            status="completed",
            counts={},
            email_status=line,
            error=None,
        )
    stored = dict(
        (run_id, (status, detail))
        for run_id, status, detail in con.execute(
            "SELECT run_id, email_status, email_detail FROM runs"
        ).fetchall()
    )
    for run_id, (line, state, detail) in lines.items():
        assert stored[run_id][0] == state, run_id
        assert stored[run_id][1] == (detail or (None if line in EMAIL_STATES else line)), run_id
    assert {state for state, _ in stored.values()} <= set(EMAIL_STATES)


def test_an_ingest_is_a_command_never_the_last_successful_run(con) -> None:
    from warehouse.runs.run_rows import last_command, last_success, record_ended_run

    record_ended_run(
        con,
        run_id="nightly",
        source="bundled",
        parameters={},
        started_at=datetime(2026, 12, 4, 3, 0),
        status="completed",
        counts={},
        email_status="nothing to send",
        error=None,
    )
    con.execute("UPDATE runs SET finished_at = TIMESTAMP '2026-12-04 03:01:00'")
    start_run(con, run_id="ingest-1", source="ingest", parameters={"file": "x.xml"})
    finish_run(con, run_id="ingest-1", status="completed", counts={}, email_status=None, error=None)
    assert last_success(con) == datetime(2026, 12, 4, 3, 1)
    command = last_command(con)
    assert command is not None and (command.run_id, command.kind) == ("ingest-1", "ingest")
    kinds = dict(con.execute("SELECT run_id, kind FROM runs").fetchall())
    assert kinds == {"nightly": "run", "ingest-1": "ingest"}


def test_the_migration_tells_old_rows_apart(tmp_path) -> None:
    """A warehouse written before version 9: its ingest row becomes a command, its send's
    line moves to email_detail beside a documented value."""
    import duckdb

    from warehouse.db.schema import apply_schema, migrations, utc_now

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    for migration in migrations():
        if migration.version > 8:
            break
        con.execute(migration.sql)
        con.execute(
            "INSERT INTO schema_migrations VALUES (?, ?, ?)",
            [migration.version, migration.name, utc_now()],
        )
    con.execute(
        "INSERT INTO runs (run_id, source, started_at, status, email_status) VALUES "
        "('n', 'bundled', now(), 'completed', 'sent 1 (eml)'), "
        "('i', 'ingest', now(), 'completed', NULL)"
    )
    apply_schema(con)
    assert sorted(
        con.execute("SELECT run_id, kind, email_status, email_detail FROM runs").fetchall()
    ) == [("i", "ingest", "none", None), ("n", "run", "sent", "sent 1 (eml)")]
    con.close()
