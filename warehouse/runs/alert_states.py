"""The alerts' states (`alerts`: one row per kind of alert) and the run times the no-success
alert compares, so the alerting in `notify/` decides and mails without running SQL."""

from __future__ import annotations

from datetime import datetime

import duckdb


def alert_state(con: duckdb.DuckDBPyConnection, kind: str) -> tuple[str, str | None] | None:
    """(state, run id that set it) of an alert kind, or None when none was recorded yet."""
    rows = con.execute("SELECT state, run_id FROM alerts WHERE kind = ?", [kind]).fetchall()
    return (rows[0][0], rows[0][1]) if rows else None


def save_alert_state(
    con: duckdb.DuckDBPyConnection, kind: str, state: str, sent_at: datetime | None, run_id: str
) -> None:
    """Set an alert kind's state; `sent_at` None keeps when its last alert was sent."""
    con.execute(
        "INSERT INTO alerts (kind, state, sent_at, run_id) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (kind) DO UPDATE SET state = excluded.state, "
        "sent_at = coalesce(excluded.sent_at, alerts.sent_at), run_id = excluded.run_id",
        [kind, state, sent_at, run_id],
    )


def last_success_and_first_run(
    con: duckdb.DuckDBPyConnection, success: str = "completed"
) -> tuple[datetime | None, datetime | None]:
    """When the last pipeline run with status `success` ended (else started), and when the
    first pipeline run started; None where there is no such run. An `ingest`, `reparse` or
    `rebuild` (`runs.kind`) is not a run here: it says nothing of the nightly schedule."""
    last_success, first_run = con.execute(
        "SELECT max(coalesce(finished_at, started_at)) FILTER (WHERE status = ?), "
        "min(started_at) FROM runs WHERE kind = 'run'",
        [success],
    ).fetchall()[0]
    return last_success, first_run
