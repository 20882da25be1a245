"""Run-failure alerts: one alert email when a run fails after a healthy state, one
"recovered" email when a run succeeds again, nothing in between. The state lives in the
`alerts` table; the emails go through the outbox, so they are retried and never doubled."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb
from markupsafe import escape

from common.redaction import redact, secret_values
from notify.delivery import SendReport, SmtpSettings, send_pending
from notify.digest import Digest
from warehouse.db.schema import utc_now
from warehouse.runs import outbox
from warehouse.runs.alert_states import alert_state, save_alert_state

KIND = "run_failure"
ALERTING = "alerting"
OK = "ok"
HTML_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="color-scheme" content="light dark">'
    '<meta name="supported-color-schemes" content="light dark"><title>{title}</title></head>'
    '<body style="margin:0;padding:16px;background-color:#ffffff;color:#1a1a1a;'
    'font-family:Arial,Helvetica,sans-serif;font-size:14px;">'
    '<h1 style="font-size:18px;margin:0 0 8px 0;">{title}</h1>{body}</body></html>'
)


def alert_id(kind: str, transition: str, run_id: str) -> str:
    """Outbox key of an alert: one per state change of one run."""
    return hashlib.sha256(f"alert|{kind}|{transition}|{run_id}".encode()).hexdigest()


def failure_alert(run_id: str, error: str) -> Digest:
    """The alert email for a failed run: the error and the run id."""
    title = f"CoopWatch: nightly run failed (run {run_id})"
    text = (
        f"{title}\n\nRun {run_id} failed:\n\n    {error}\n\n"
        "No further alert is sent while runs keep failing; a 'recovered' email follows "
        "the next successful run.\n"
    )
    body = (
        f"<p>Run <code>{escape(run_id)}</code> failed:</p>"
        f'<pre style="white-space:pre-wrap;background-color:#f4f4f4;color:#1a1a1a;'
        f'padding:8px;">{escape(error)}</pre>'
        "<p>No further alert is sent while runs keep failing; a “recovered” email follows "
        "the next successful run.</p>"
    )
    return _alert(title, text, body, alert_id(KIND, "failed", run_id))


def recovery_alert(run_id: str, failed_run_id: str | None) -> Digest:
    """The email saying runs succeed again after a failure alert."""
    title = f"CoopWatch: nightly run recovered (run {run_id})"
    since = f" since run {failed_run_id}" if failed_run_id else ""
    text = f"{title}\n\nRun {run_id} succeeded after the failure reported{since}.\n"
    body = (
        f"<p>Run <code>{escape(run_id)}</code> succeeded after the failure reported"
        f"{escape(since)}.</p>"
    )
    return _alert(title, text, body, alert_id(KIND, "recovered", run_id))


def _alert(title: str, text: str, body: str, change_set_id: str) -> Digest:
    html = HTML_PAGE.format(title=escape(title), body=body)
    return Digest(subject=title, text=text, html=html, chart_png=None, change_set_id=change_set_id)


def record_run_outcome(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    failed: bool,
    error: str | None,
    recipients: list[str],
    secrets: Iterable[str] = (),
    now: datetime | None = None,
) -> Digest | None:
    """Update the run-failure state and queue the alert that its change calls for; returns
    the queued alert or None. With no recorded state, the system counts as healthy, so the
    very first failure is reported too."""
    now = now or utc_now()
    recorded = alert_state(con, KIND)
    previous, previous_run = recorded or (OK, None)
    if failed and previous != ALERTING:
        alert = failure_alert(run_id, redact(error or "unknown error", secrets))
        state = ALERTING
    elif not failed and previous == ALERTING:
        alert = recovery_alert(run_id, previous_run)
        state = OK
    else:
        if recorded is None:
            save_alert_state(con, KIND, OK, None, run_id)
        return None
    outbox.enqueue(
        con,
        alert,
        old_symbol=None,
        new_symbol=None,
        recipients=recipients,
        run_id=run_id,
        now=now,
    )
    save_alert_state(con, KIND, state, now, run_id)
    return alert


def alert_on_outcome(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    failed: bool,
    error: str | None,
    settings: SmtpSettings | None,
    outbox_dir: Path,
    recipients: list[str] | None = None,
) -> SendReport | None:
    """Record the outcome and, when it queued an alert, send the outbox right away (the
    run's own send step has already happened). None when no alert was due."""
    to = recipients or list(settings.recipients if settings else ())
    secrets = (settings.secrets() if settings else ()) + secret_values()
    alert = record_run_outcome(
        con, run_id=run_id, failed=failed, error=error, recipients=to, secrets=secrets
    )
    if alert is None:
        return None
    return send_pending(con, settings=settings, outbox_dir=outbox_dir)
