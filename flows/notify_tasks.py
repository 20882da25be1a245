"""Tasks that turn diffs into reports and digests, queue and send them (`notify.mailing`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from notify.delivery import send_pending
from notify.digest import Digest
from notify.mailing import (
    Mailing,
    PlannedDigest,
    queue_digests,
    report_and_plan,
    send_outbox_once,
    smtp_settings,
)
from notify.static_report import artifact_key, render_markdown
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.compare_loaded import ToMail


@task(name="write-reports", cache_policy=NO_CACHE)
def write_change_reports(
    con: duckdb.DuckDBPyConnection, to_mail: Sequence[ToMail], mail: Mailing
) -> list[PlannedDigest]:
    """Write the static report (files and a Prefect artifact) of each diff that reaches
    readers and plan its digests: one per distinct set of changes readers follow."""
    planned: list[PlannedDigest] = []
    for item in to_mail:
        reported = report_and_plan(con, item, mail)
        if reported is not None:
            publish_report_artifact(reported.digest, item.diff)
            planned.extend(reported.planned)
    return planned


@task(name="queue-digests", cache_policy=NO_CACHE)
def queue_planned_digests(
    con: duckdb.DuckDBPyConnection, planned: Sequence[PlannedDigest], run_id: str
) -> int:
    """Queue the planned digests in the outbox; a digest already there is never queued again.
    Returns how many were queued."""
    return queue_digests(con, planned, run_id)


def publish_report_artifact(digest: Digest, diff: EditionDiff) -> None:
    """The change report as a Prefect markdown artifact, keyed by the pair of editions so
    Prefect keeps its versions together across runs."""
    create_markdown_artifact(
        key=artifact_key(diff.old, diff.new),
        markdown=render_markdown(digest, diff),
        description=f"CoopWatch changes {diff.old} -> {diff.new}",
    )


@task(name="send-outbox", retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def send_outbox(db: Path, outbox_dir: Path, smtp_block: str | None) -> str:
    """Send every pending digest once; an SMTP failure leaves it pending for the next run."""
    return send_outbox_once(db, outbox_dir, smtp_block)


@task(name="send-digests", retries=2, retry_delay_seconds=[5, 30], cache_policy=NO_CACHE)
def send_digests(con: duckdb.DuckDBPyConnection, outbox_dir: Path, smtp_block: str | None) -> str:
    """Send every pending digest of the run's write once; an SMTP failure leaves it pending
    for the next run."""
    return send_pending(con, settings=smtp_settings(smtp_block), outbox_dir=outbox_dir).status
