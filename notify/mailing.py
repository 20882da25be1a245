"""Diffs into reports and digests: who gets which digest, the static report of each diff,
queueing digests in the outbox, previews, and run alerts; no Prefect, so any command (a
run, `coopwatch notify`) plans and sends the same way."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from common.errors import CoopWatchError
from common.settings import default_reports_dir, read_text
from notify.alerts import alert_on_outcome
from notify.browse_pages import browse_targets
from notify.companion_lines import with_companions
from notify.delivery import (
    DEFAULT_SENDER,
    SendReport,
    send_pending,
    settings_from_block,
    settings_from_env,
    wire_bytes,
)
from notify.digest import Digest, build_digest, change_set_id
from notify.digest_email import build_message
from notify.report_index import write_index
from notify.static_report import write_reports
from notify.subscriptions import plan_digests
from warehouse.db.loaded_states import has_pending
from warehouse.db.publish import staged
from warehouse.db.schema import connect
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.compare_loaded import ToMail
from warehouse.diff.similarity import compare_editions
from warehouse.load.companion_rows import companion_sentences, stored_companions
from warehouse.load.ledger import gate_failures
from warehouse.load.read_back import list_editions, read_diff, read_report
from warehouse.report_queries import organization_names, paragraph_pages, trajectory
from warehouse.runs.mandate_coverage import edition_coverage
from warehouse.runs.outbox import enqueue

if TYPE_CHECKING:
    from notify.subscriptions import Subscriptions
    from warehouse.diff.similarity import EditionSimilarity


@dataclass(frozen=True)
class Mailing:
    """Who gets digests (the subscriptions when configured, else the run's recipients) and
    where the static reports go."""

    recipients: list[str] | None
    subscriptions: Subscriptions | None
    reports_dir: Path


def build_for(
    con: duckdb.DuckDBPyConnection,
    diff: EditionDiff,
    language: str,
    similarity: EditionSimilarity | None = None,
    reports_dir: Path | None = None,
) -> Digest:
    """Render one digest of `diff` (sections ordered by changed words when `similarity` is
    given; "and N more" linking the report in `reports_dir` unless COOPWATCH_REPORT_URL says
    where reports are published); a reissue (same symbol on both sides) says so in its
    subject."""
    digest = build_digest(
        diff,
        trajectory=trajectory(con, language),
        names=organization_names(con, language),
        language=language,
        similarity=similarity,
        coverage=edition_coverage(con, diff.new) if diff.old != diff.new else (),
        reports_dir=reports_dir,
        pages=paragraph_pages(con, (diff.old, diff.new), language),
        browse=browse_targets(con, language),
    )
    digest = with_companions(digest, edition_companions(con, (diff.old, diff.new)))
    if diff.old != diff.new:
        return digest
    reissued = digest.subject.replace(f"{diff.new} vs {diff.old}", f"{diff.new} reissued")
    return dataclasses.replace(digest, subject=reissued)


def edition_companions(con: duckdb.DuckDBPyConnection, editions: tuple[str, ...]) -> list[str]:
    """'A/77/277 has a corrigendum (A/77/277/Corr.1)' for each edition's stored companions."""
    return companion_sentences(stored_companions(con, dict.fromkeys(editions)))


def planned_digests(
    con: duckdb.DuckDBPyConnection,
    diff: EditionDiff,
    *,
    language: str,
    recipients: list[str] | None,
    subscriptions: Subscriptions | None,
    similarity: EditionSimilarity | None = None,
    reports_dir: Path | None = None,
) -> list[tuple[tuple[str, ...], Digest]]:
    """The digests a diff gives, each with everyone who gets it: one per distinct cut of the
    diff under the subscriptions, else one whole digest to `recipients`; none when nothing
    changed. Every cut carries the editions' `similarity` when given."""
    if not diff.changed_events:
        return []
    if subscriptions is None:
        return [(tuple(recipients or ()), build_for(con, diff, language, similarity, reports_dir))]
    return [
        (plan.recipients, build_for(con, plan.diff, language, similarity, reports_dir))
        for plan in plan_digests(diff, subscriptions)
    ]


@dataclass(frozen=True)
class PlannedDigest:
    """One digest of a diff and everyone who gets it."""

    old_symbol: str
    new_symbol: str
    recipients: tuple[str, ...]
    digest: Digest


@dataclass(frozen=True)
class Reported:
    """A diff's static report as written (the digest it shows) and the digests planned."""

    digest: Digest
    planned: tuple[PlannedDigest, ...]


def report_and_plan(con: duckdb.DuckDBPyConnection, item: ToMail, mail: Mailing) -> Reported | None:
    """Write the static report of the whole diff and plan its digests; None when nothing
    changed. With the editions' similarity, report and digests say how similar they are and
    order organizations by changed words."""
    diff, language, similarity = item.diff, item.language, item.similarity
    if not diff.changed_events:
        return None
    digests = planned_digests(
        con,
        diff,
        language=language,
        recipients=mail.recipients,
        subscriptions=mail.subscriptions,
        similarity=similarity,
        reports_dir=mail.reports_dir,
    )
    whole_id = change_set_id(diff)
    whole = next((d for _, d in digests if d.change_set_id == whole_id), None)
    # The report shows the whole diff, whoever follows what.
    report_digest = whole or build_for(con, diff, language, similarity, mail.reports_dir)
    write_reports(report_digest, diff, mail.reports_dir)
    write_index(con, mail.reports_dir, language=language)
    planned = tuple(PlannedDigest(diff.old, diff.new, tuple(to), digest) for to, digest in digests)
    return Reported(report_digest, planned)


def queue_digests(
    con: duckdb.DuckDBPyConnection, planned: Sequence[PlannedDigest], run_id: str
) -> int:
    """Queue the planned digests in the outbox; a digest already there is never queued again.
    Returns how many were queued."""
    return sum(
        1
        for item in planned
        if enqueue(
            con,
            item.digest,
            old_symbol=item.old_symbol,
            new_symbol=item.new_symbol,
            recipients=list(item.recipients),
            run_id=run_id,
        )
    )


def send_outbox_once(db: Path, outbox_dir: Path, smtp_block: str | None) -> str:
    """Send every pending digest once and say how it went; with nothing pending, no staged
    copy of the warehouse is made."""
    settings = smtp_settings(smtp_block)
    if not has_pending(db):
        return SendReport().status
    with staged(db) as con:
        report = send_pending(con, settings=settings, outbox_dir=outbox_dir)
    return report.status


def smtp_settings(smtp_block: str | None):
    """SMTP settings from a prefect-email block when named, else from the environment."""
    return settings_from_block(smtp_block) if smtp_block else settings_from_env()


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
    settings = smtp_settings(smtp_block)
    alert_on_outcome(
        con,
        run_id=run_id,
        failed=status != "completed",
        error=error,
        settings=settings,
        outbox_dir=outbox_dir,
    )


def latest_pair(con: duckdb.DuckDBPyConnection, language: str) -> tuple[str, str] | None:
    """The two newest editions loaded in `language` (older, newer), or None."""
    editions = list_editions(con, language)
    if len(editions) < 2:
        return None
    return editions[-2].symbol, editions[-1].symbol


def preview_digests(
    db: Path,
    outbox_dir: Path,
    *,
    language: str,
    subscriptions: Subscriptions | None,
    recipients: list[str] | None,
) -> list[Path]:
    """Write every recipient's digest of the latest diff as an .eml in `outbox_dir`, one
    file per recipient, without sending or queueing anything (`coopwatch notify --dry-run`).
    A diff with a failed gate gives no digest, as in a run."""
    if not db.exists():
        raise CoopWatchError(f"{db}: no warehouse file")
    con = connect(db, read_only=True)  # an analyst's read-only connection may be open
    try:
        pair = latest_pair(con, language)
        diff = read_diff(con, *pair) if pair else None
        if diff is None or gate_failures(con, [diff.old, diff.new], language):
            return []
        # The same similarity the run computes, so the preview reads as the sent digest.
        similarity = compare_editions(
            read_report(con, diff.old, language), read_report(con, diff.new, language)
        )
        planned = planned_digests(
            con,
            diff,
            language=language,
            recipients=recipients,
            subscriptions=subscriptions,
            similarity=similarity,
            reports_dir=default_reports_dir(db),
        )
    finally:
        con.close()
    return [
        write_preview(digest, recipient, outbox_dir)
        for to, digest in planned
        for recipient in (to or ("",))
    ]


def write_preview(digest: Digest, recipient: str, outbox_dir: Path) -> Path:
    """One recipient's message as <change set>-<recipient>.eml (the wire form SMTP sends)."""
    outbox_dir.mkdir(parents=True, exist_ok=True)
    sender = read_text("COOPWATCH_MAIL_FROM", DEFAULT_SENDER)
    message = build_message(
        subject=digest.subject,
        text=digest.text,
        html=digest.html,
        sender=sender,
        recipients=(recipient,) if recipient else (),
        change_set_id=digest.change_set_id,
        chart_png=digest.chart_png,
        chart_cid=digest.chart_cid,
    )
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", recipient) or "no-recipient"
    path = outbox_dir / f"{digest.change_set_id[:12]}-{name}.eml"
    path.write_bytes(wire_bytes(message))
    return path


def send_now(db: Path, outbox_dir: Path, smtp_block: str | None) -> SendReport:
    """Send the outbox's pending emails once (`coopwatch notify`); returns what happened."""
    if not db.exists():
        raise CoopWatchError(f"{db}: no warehouse file")
    settings = smtp_settings(smtp_block)
    with staged(db) as con:
        return send_pending(con, settings=settings, outbox_dir=outbox_dir)
