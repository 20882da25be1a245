"""Calendar alerts over a real loopback SMTP server: the overdue edition and the run that has
not succeeded for days are each reported once per change of state, never once per night."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from smtp_server import LoopbackSmtp
from test_notify_delivery import smtp_settings
from warehouse_editions import load_editions

from notify.overdue import alert_on_calendar, record_calendar_alerts
from warehouse.db.schema import connect
from warehouse.runs import outbox
from warehouse.runs.edition_calendar import CalendarSettings

RECIPIENTS = ["ops@example.org"]


@pytest.fixture
def con(tmp_path):
    con = load_editions(tmp_path / "w.duckdb")
    yield con
    con.close()


def alert_state(con, kind: str) -> str | None:
    rows = con.execute("SELECT state FROM alerts WHERE kind = ?", [kind]).fetchall()
    return rows[0][0] if rows else None


def add_run(con, run_id: str, status: str, at: str, kind: str = "run") -> None:
    when = datetime.fromisoformat(at)
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, status, kind) VALUES (?, ?, ?, ?, ?)",
        [run_id, when, when, status, kind],
    )


def test_overdue_alert_is_sent_once(con, tmp_path) -> None:
    # The 2022 edition's successor was expected in 2024-08; two months of grace end in October.
    days = [date(2024, 10, 20), date(2024, 11, 2), date(2024, 11, 3), date(2024, 12, 1)]
    with LoopbackSmtp() as server:
        settings = smtp_settings(server.port)
        reports = [
            alert_on_calendar(
                con,
                run_id=f"run-{index}",
                today=day,
                settings=settings,
                outbox_dir=tmp_path / "outbox",
            )
            for index, day in enumerate(days)
        ]
    assert [report is not None for report in reports] == [False, True, False, False]
    assert [r.message["Subject"] for r in server.received] == [
        "CoopWatch: the next edition is overdue (expected 2024-08)"
    ]
    body = server.received[0].message.get_body(("plain",)).get_content()
    assert "The last edition loaded is A/77/277. The series is biennial" in body
    assert alert_state(con, "edition_overdue") == "alerting"


def test_overdue_clears_quietly_and_alerts_again_later(con) -> None:
    late = record_calendar_alerts(
        con, run_id="run-1", today=date(2024, 11, 2), recipients=RECIPIENTS
    )
    assert len(late) == 1
    # A new edition arrives (here: a rhythm that makes 2022's successor due later).
    patient = CalendarSettings(rhythm_months=36)
    assert (
        record_calendar_alerts(
            con, run_id="run-2", today=date(2024, 11, 3), recipients=RECIPIENTS, settings=patient
        )
        == []
    )
    assert alert_state(con, "edition_overdue") == "ok"
    again = record_calendar_alerts(
        con, run_id="run-3", today=date(2025, 12, 1), recipients=RECIPIENTS, settings=patient
    )
    assert [digest.subject for digest in again] == [
        "CoopWatch: the next edition is overdue (expected 2025-08)"
    ]
    assert len(outbox.pending(con)) == 2


def test_no_success_alert_once_then_reset_by_a_success(tmp_path) -> None:
    con = connect(tmp_path / "empty.duckdb")
    settings = CalendarSettings(no_success_days=3)

    def check(run_id: str, now: str) -> list[str]:
        queued = record_calendar_alerts(
            con,
            run_id=run_id,
            today=date(2024, 9, 1),
            recipients=RECIPIENTS,
            settings=settings,
            now=datetime.fromisoformat(now),
        )
        return [digest.subject for digest in queued]

    assert check("run-0", "2024-09-01T03:00:00") == []  # no run yet: nothing to say
    add_run(con, "run-1", "completed", "2024-09-01T02:00:00")
    add_run(con, "run-2", "failed", "2024-09-02T02:00:00")
    assert check("run-2", "2024-09-02T03:00:00") == []
    add_run(con, "run-5", "failed", "2024-09-05T02:00:00")
    assert check("run-5", "2024-09-05T03:00:00") == [
        "CoopWatch: no successful run for 3 days or more"
    ]
    add_run(con, "run-6", "failed", "2024-09-06T02:00:00")
    assert check("run-6", "2024-09-06T03:00:00") == []
    add_run(con, "run-7", "completed", "2024-09-07T02:00:00")
    assert check("run-7", "2024-09-07T03:00:00") == []
    assert alert_state(con, "no_success") == "ok"
    add_run(con, "run-11", "failed", "2024-09-11T02:00:00")
    assert check("run-11", "2024-09-11T03:00:00") == [
        "CoopWatch: no successful run for 3 days or more"
    ]
    text = outbox.pending(con)[-1].body_text
    assert "The last successful run finished at 2024-09-07T02:00:00 UTC." in text
    con.close()


def test_never_succeeded_counts_from_the_first_run(tmp_path) -> None:
    con = connect(tmp_path / "empty.duckdb")
    add_run(con, "run-1", "failed", "2024-09-01T02:00:00")
    queued = record_calendar_alerts(
        con,
        run_id="run-9",
        today=date(2024, 9, 9),
        recipients=RECIPIENTS,
        now=datetime(2024, 9, 9, 3),
    )
    assert [digest.text.splitlines()[2] for digest in queued] == ["No run has ever succeeded."]
    con.close()


def test_an_ingest_does_not_hold_off_the_no_success_alert(tmp_path) -> None:
    """A completed `ingest` (or reparse, rebuild) is not a successful run: runs.kind says so."""
    con = connect(tmp_path / "empty.duckdb")
    add_run(con, "run-1", "completed", "2024-09-01T02:00:00")
    add_run(con, "ingest-1", "completed", "2024-09-08T02:00:00", kind="ingest")
    add_run(con, "run-9", "failed", "2024-09-09T02:00:00")
    queued = record_calendar_alerts(
        con,
        run_id="run-9",
        today=date(2024, 9, 9),
        recipients=RECIPIENTS,
        settings=CalendarSettings(no_success_days=3),
        now=datetime(2024, 9, 9, 3),
    )
    assert [digest.subject for digest in queued] == [
        "CoopWatch: no successful run for 3 days or more"
    ]
    assert "The last successful run finished at 2024-09-01T02:00:00 UTC." in queued[0].text
    con.close()
