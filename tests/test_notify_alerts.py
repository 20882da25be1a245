"""Run-failure alerts over a real loopback SMTP server: one alert when runs start failing,
one "recovered" email when they succeed again, nothing in between."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from smtp_server import LoopbackSmtp
from test_notify_delivery import PASSWORD, smtp_settings

from notify.alerts import alert_on_outcome, record_run_outcome
from warehouse.db.schema import connect


@pytest.fixture
def con(tmp_path: Path):
    connection = connect(tmp_path / "cw.duckdb")
    yield connection
    connection.close()


def state(con) -> tuple:
    return con.execute("SELECT state, run_id FROM alerts WHERE kind = 'run_failure'").fetchone()


def test_failure_alert_then_one_recovery_and_nothing_in_between(con, tmp_path) -> None:
    outcomes = [
        ("run-1", False, None),
        ("run-2", True, "FetchRefused: undocs.org answered 503"),
        ("run-3", True, "FetchRefused: undocs.org answered 503"),
        ("run-4", False, None),
        ("run-5", False, None),
    ]
    with LoopbackSmtp() as server:
        settings = smtp_settings(server.port)
        reports = [
            alert_on_outcome(
                con,
                run_id=run_id,
                failed=failed,
                error=error,
                settings=settings,
                outbox_dir=tmp_path / "outbox",
            )
            for run_id, failed, error in outcomes
        ]
    assert [r is not None for r in reports] == [False, True, False, True, False]
    subjects = [received.message["Subject"] for received in server.received]
    assert subjects == [
        "CoopWatch: nightly run failed (run run-2)",
        "CoopWatch: nightly run recovered (run run-4)",
    ]
    failure = server.received[0].message.get_body(("plain",)).get_content()
    assert "run-2" in failure and "undocs.org answered 503" in failure
    recovery = server.received[1].message.get_body(("plain",)).get_content()
    assert "since run run-2" in recovery
    assert state(con) == ("ok", "run-4")


def test_first_run_failing_is_reported(con) -> None:
    alert = record_run_outcome(con, run_id="r1", failed=True, error="boom", recipients=["a@x.org"])
    assert alert is not None and "failed" in alert.subject
    assert state(con) == ("alerting", "r1")
    assert record_run_outcome(con, run_id="r2", failed=True, error="boom", recipients=[]) is None


def test_alert_text_is_redacted_and_escaped(con) -> None:
    error = f"SMTP login with {PASSWORD} failed <script>x</script>"
    alert = record_run_outcome(
        con, run_id="r1", failed=True, error=error, recipients=[], secrets=[PASSWORD]
    )
    stored = duckdb_rows(con)
    assert PASSWORD not in alert.text and PASSWORD not in alert.html and PASSWORD not in stored
    assert "<script>" not in alert.html and "&lt;script&gt;" in alert.html


def duckdb_rows(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT * FROM outbox").fetchall())
