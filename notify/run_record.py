"""How a nightly run is recorded: its row in `runs`, its fetches and manifest, and the alerts
its outcome calls for (failure, recovery, calendar), all on the connection of the run's one
write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.errors import CoopWatchError
from notify.mailing import alert_on_state_change, smtp_settings
from notify.overdue import alert_on_calendar
from warehouse.load.run_loader import record_fetches
from warehouse.runs.manifests import store_manifest
from warehouse.runs.run_rows import record_ended_run

if TYPE_CHECKING:
    import duckdb

    from extractors.fetch.fetch_document import FetchResult
    from warehouse.runs.edition_calendar import CalendarSettings
    from warehouse.runs.run_account import RunSummary


@dataclass(frozen=True)
class RunRecord:
    """How a run is recorded: its id, parameters and start, how it ended, and where its
    alerts go."""

    run_id: str
    parameters: dict[str, Any]
    started_at: datetime
    status: str
    error: str | None
    outbox_dir: Path
    smtp_block: str | None
    calendar_settings: CalendarSettings | None = None

    @property
    def source(self) -> str:
        """The source the run read from ('bundled', 'un' or a server's URL)."""
        return str(self.parameters.get("source"))

    def ended(self, summary: RunSummary) -> RunRecord:
        """This record with how the run ended: failed when any document or step failed, the
        error then saying which (the failure alert quotes it) unless one stopped the run."""
        if not summary.failures:
            return replace(self, status="completed")
        return replace(self, status="failed", error=self.error or "; ".join(summary.failures))

    def failed_with(self, failure: BaseException) -> RunRecord:
        """This record with the error that stopped the run, as one line."""
        error = str(failure)
        if not isinstance(failure, CoopWatchError):
            error = f"{type(failure).__name__}: {failure}"
        return replace(self, status="failed", error=error)


def record_run_in(
    con: duckdb.DuckDBPyConnection,
    run: RunRecord,
    summary: RunSummary,
    fetches: Sequence[FetchResult] = (),
) -> None:
    """Record the run's fetches, how it ended and its manifest; send a failure or recovery
    alert when the state flips, and the calendar alerts (overdue edition, no success) when
    the run has calendar settings."""
    record_ended_run(
        con,
        run_id=run.run_id,
        source=run.source,
        parameters=run.parameters,
        started_at=run.started_at,
        status=run.status,
        counts=summary.counts,
        email_status=summary.email_status,
        error=run.error,
    )
    record_fetches(con, run.run_id, fetches)
    store_manifest(con, summary.manifest(run.status, run.source))
    alert_on_state_change(
        con,
        run_id=run.run_id,
        status=run.status,
        error=run.error,
        outbox_dir=run.outbox_dir,
        smtp_block=run.smtp_block,
    )
    if run.calendar_settings is not None:
        alert_on_calendar(
            con,
            run_id=run.run_id,
            today=date.today(),
            settings=smtp_settings(run.smtp_block),
            outbox_dir=run.outbox_dir,
            calendar_settings=run.calendar_settings,
        )
