"""The alerts' states and the run times the no-success alert compares, kept in
warehouse/runs/alert_states.py so notify/ decides and mails without running SQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from warehouse.db.schema import connect
from warehouse.runs.alert_states import (
    alert_state,
    last_success_and_first_run,
    save_alert_state,
)
from warehouse.runs.run_rows import finish_run, start_run


def test_an_alert_state_is_saved_and_its_sent_time_kept(tmp_path: Path) -> None:
    con = connect(tmp_path / "cw.duckdb")
    try:
        assert alert_state(con, "run_failure") is None
        sent = datetime(2026, 12, 1, 3, 0)
        save_alert_state(con, "run_failure", "alerting", sent, "run-1")
        assert alert_state(con, "run_failure") == ("alerting", "run-1")
        save_alert_state(con, "run_failure", "ok", None, "run-2")
        assert alert_state(con, "run_failure") == ("ok", "run-2")
        assert alert_state(con, "no_success") is None
        kept = con.execute("SELECT sent_at FROM alerts WHERE kind = 'run_failure'").fetchall()
    finally:
        con.close()
    assert kept == [(sent,)]


def test_last_success_and_first_run(tmp_path: Path) -> None:
    con = connect(tmp_path / "cw.duckdb")
    try:
        assert last_success_and_first_run(con) == (None, None)
        first = datetime(2026, 11, 1, 2, 0)
        start_run(con, run_id="run-1", source="bundled", parameters={}, started_at=first)
        finish_run(con, run_id="run-1", status="failed", counts={}, email_status=None, error="x")
        assert last_success_and_first_run(con) == (None, first)
        start_run(con, run_id="run-2", source="bundled", parameters={})
        finish_run(
            con, run_id="run-2", status="completed", counts={}, email_status=None, error=None
        )
        success, earliest = last_success_and_first_run(con)
        ended = con.execute("SELECT finished_at FROM runs WHERE run_id = 'run-2'").fetchone()
    finally:
        con.close()
    assert earliest == first and ended is not None and success == ended[0]
