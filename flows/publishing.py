"""Tasks that write a run into the warehouse: load, diff, and record the run.

Each takes the connection of the run's one write (`warehouse.publish.written`), takes values
and returns values; the flow folds what they return into the run's summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from notify.mailing import alert_on_state_change, smtp_settings
from warehouse.compare import Compared, compare_loaded
from warehouse.run_load import Loaded, load_run_documents, record_fetches
from warehouse.run_summary import Parsed, RunSummary

if TYPE_CHECKING:
    import duckdb

    from extractors.cited import CitedDocument
    from extractors.fetch import FetchResult
    from warehouse.calendar import CalendarSettings
    from warehouse.companions import CompanionDocument


@task(name="load-documents", cache_policy=NO_CACHE)
def load_documents(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    parsed: Sequence[Parsed],
    cited: Sequence[CitedDocument] = (),
    companions: Sequence[CompanionDocument] = (),
) -> Loaded:
    """Load the run's editions, cited documents and companions (`warehouse.run_load`)."""
    return load_run_documents(con, run_id, parsed, cited, companions)


@task(name="diff-editions", cache_policy=NO_CACHE)
def diff_changes(con: duckdb.DuckDBPyConnection, run_id: str, loaded: Loaded) -> Compared:
    """Diff what the load changed and say which diffs reach readers (`warehouse.compare`)."""
    return compare_loaded(con, run_id, loaded)


@task(name="record-run", cache_policy=NO_CACHE)
def record_run(
    con: duckdb.DuckDBPyConnection,
    run: RunRecord,
    summary: RunSummary,
    fetches: Sequence[FetchResult] = (),
) -> None:
    """Record the run's fetches, how it ended and its manifest; send a failure or recovery
    alert when the state flips, and the calendar alerts (overdue edition, no success) when
    the run has calendar settings."""
    from notify.overdue import alert_on_calendar
    from warehouse.manifests import store_manifest
    from warehouse.runs import finish_run, is_recorded, start_run

    source = str(run.parameters.get("source"))
    if not is_recorded(con, run.run_id):
        start_run(
            con,
            run_id=run.run_id,
            source=source,
            parameters=run.parameters,
            started_at=run.started_at,
        )
    record_fetches(con, run.run_id, fetches)
    finish_run(
        con,
        run_id=run.run_id,
        status=run.status,
        counts=summary.counts,
        email_status=summary.email_status,
        error=run.error,
    )
    store_manifest(con, summary.manifest(run.status, source))
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
