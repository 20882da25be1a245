"""Tasks that turn diffs into digests, send the outbox and raise run alerts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE

from warehouse.changes import EditionDiff

if TYPE_CHECKING:
    from flows.nightly import RunSummary


def queue_digest(
    con: duckdb.DuckDBPyConnection,
    diff: EditionDiff,
    *,
    language: str,
    recipients: list[str] | None,
    run_id: str,
    reports_dir: Path,
    summary: RunSummary,
) -> None:
    """Write the static report and queue one digest when the diff found something new."""
    from notify.digest import build_digest
    from notify.report import write_reports
    from warehouse.outbox import enqueue
    from warehouse.reporting import organization_names, trajectory

    if not diff.changed_events:
        return
    digest = build_digest(
        diff,
        trajectory=trajectory(con, language),
        names=organization_names(con, language),
        language=language,
    )
    write_reports(digest, diff, reports_dir)
    if enqueue(
        con,
        digest,
        old_symbol=diff.old,
        new_symbol=diff.new,
        recipients=recipients or [],
        run_id=run_id,
    ):
        summary.count("digests_queued")


def smtp_settings(smtp_block: str | None):
    """SMTP settings from a prefect-email block when named, else from the environment."""
    from notify.delivery import settings_from_block, settings_from_env

    return settings_from_block(smtp_block) if smtp_block else settings_from_env()


@task(name="send-outbox", retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def send_outbox(db: Path, outbox_dir: Path, smtp_block: str | None) -> str:
    """Send every pending digest once; an SMTP failure leaves it pending for the next run."""
    from notify.delivery import send_pending
    from warehouse.publish import staged

    settings = smtp_settings(smtp_block)
    with staged(db) as con:
        report = send_pending(con, settings=settings, outbox_dir=outbox_dir)
    return report.status


def alert_on_state_change(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    status: str,
    error: str | None,
    outbox_dir: Path,
    smtp_block: str | None,
) -> None:
    """Queue and send one failure alert after a success, one recovery alert after a failure."""
    from notify.alerts import alert_on_outcome

    settings = smtp_settings(smtp_block)
    alert_on_outcome(
        con,
        run_id=run_id,
        failed=status != "completed",
        error=error,
        settings=settings,
        outbox_dir=outbox_dir,
    )
