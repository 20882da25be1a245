"""Calendar alerts: one email when the next edition becomes overdue, one when no nightly run
has succeeded for N days; nothing while the state stays the same. Like the run-failure
alert, the state lives in the `alerts` table and the emails go through the outbox, so they
are retried and never doubled; returning to normal is recorded quietly (the new edition's
digest, or the run's own success, says so)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from markupsafe import escape

from notify.alerts import ALERTING, HTML_PAGE, OK, alert_id
from notify.delivery import SendReport, SmtpSettings, send_pending
from notify.digest import Digest
from warehouse.db.schema import utc_now
from warehouse.runs import outbox
from warehouse.runs.alert_states import (
    alert_state,
    last_success_and_first_run,
    save_alert_state,
)
from warehouse.runs.edition_calendar import CalendarSettings, EditionCalendar, edition_calendar

EDITION_OVERDUE = "edition_overdue"
NO_SUCCESS = "no_success"
SUCCESS = "completed"


@dataclass(frozen=True)
class AlertCheck:
    """One kind of alert evaluated now: whether it should be alerting, and the email if so."""

    kind: str
    alerting: bool
    digest: Digest | None


def _digest(title: str, text: str, body: str, change_set_id: str) -> Digest:
    html = HTML_PAGE.format(title=escape(title), body=body)
    return Digest(subject=title, text=text, html=html, chart_png=None, change_set_id=change_set_id)


def overdue_alert(calendar: EditionCalendar, run_id: str) -> Digest:
    """The email saying the next edition is overdue: when it was expected and why."""
    title = f"CoopWatch: the next edition is overdue (expected {calendar.next_expected})"
    facts = (
        f"The last edition loaded is {calendar.last_symbol}. The series is {calendar.rhythm}, "
        f"so the next edition was expected in {calendar.next_expected}; it is "
        f"{calendar.months_overdue} month(s) past the grace period and not yet loaded."
    )
    note = "No further alert is sent until an edition arrives and the next one is late again."
    text = f"{title}\n\n{facts}\n\n{note}\n"
    body = f"<p>{escape(facts)}</p><p>{escape(note)}</p>"
    return _digest(title, text, body, alert_id(EDITION_OVERDUE, "overdue", run_id))


def no_success_alert(last_success: datetime | None, days: int, run_id: str) -> Digest:
    """The email saying no nightly run has succeeded for `days` days."""
    title = f"CoopWatch: no successful run for {days} days or more"
    since = (
        f"The last successful run finished at {last_success.isoformat(timespec='seconds')} UTC."
        if last_success
        else "No run has ever succeeded."
    )
    note = "No further alert is sent until a run succeeds and runs stop succeeding again."
    text = f"{title}\n\n{since}\n\n{note}\n"
    body = f"<p>{escape(since)}</p><p>{escape(note)}</p>"
    return _digest(title, text, body, alert_id(NO_SUCCESS, "stale", run_id))


def check_overdue(
    con: duckdb.DuckDBPyConnection, *, today: date, run_id: str, settings: CalendarSettings
) -> AlertCheck:
    """Whether the next edition is overdue as of `today`, with the email for it."""
    calendar = edition_calendar(con, today, settings)
    digest = overdue_alert(calendar, run_id) if calendar.overdue else None
    return AlertCheck(EDITION_OVERDUE, calendar.overdue, digest)


def check_no_success(
    con: duckdb.DuckDBPyConnection, *, now: datetime, run_id: str, settings: CalendarSettings
) -> AlertCheck:
    """Whether no run has succeeded for `settings.no_success_days` days before `now`: the
    last success is that old, or none ever succeeded and the first run is that old."""
    last_success, first_run = last_success_and_first_run(con, SUCCESS)
    limit = timedelta(days=settings.no_success_days)
    reference = last_success or first_run
    stale = reference is not None and now - reference >= limit
    digest = no_success_alert(last_success, settings.no_success_days, run_id) if stale else None
    return AlertCheck(NO_SUCCESS, stale, digest)


def _state(con: duckdb.DuckDBPyConnection, kind: str) -> str:
    recorded = alert_state(con, kind)
    return recorded[0] if recorded else OK


def record_calendar_alerts(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    today: date,
    recipients: list[str],
    settings: CalendarSettings | None = None,
    now: datetime | None = None,
) -> list[Digest]:
    """Evaluate the overdue and no-success alerts, queue an email for each that starts
    alerting, record each change of state; returns the emails queued (usually none)."""
    settings = settings or CalendarSettings()
    now = now or utc_now()
    queued = []
    for check in (
        check_overdue(con, today=today, run_id=run_id, settings=settings),
        check_no_success(con, now=now, run_id=run_id, settings=settings),
    ):
        previous = _state(con, check.kind)
        if check.alerting and previous != ALERTING and check.digest is not None:
            outbox.enqueue(
                con,
                check.digest,
                old_symbol=None,
                new_symbol=None,
                recipients=recipients,
                run_id=run_id,
                now=now,
            )
            save_alert_state(con, check.kind, ALERTING, now, run_id)
            queued.append(check.digest)
        elif not check.alerting and previous == ALERTING:
            save_alert_state(con, check.kind, OK, None, run_id)
    return queued


def alert_on_calendar(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    today: date,
    settings: SmtpSettings | None,
    outbox_dir: Path,
    calendar_settings: CalendarSettings | None = None,
    recipients: list[str] | None = None,
) -> SendReport | None:
    """Record the calendar alerts and, when one was queued, send the outbox right away.
    None when no alert was due."""
    to = recipients or list(settings.recipients if settings else ())
    queued = record_calendar_alerts(
        con, run_id=run_id, today=today, recipients=to, settings=calendar_settings
    )
    if not queued:
        return None
    return send_pending(con, settings=settings, outbox_dir=outbox_dir)
