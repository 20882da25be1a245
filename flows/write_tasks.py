"""Tasks that write a run into the warehouse: load, diff, and record the run.

Each takes the connection of the run's one write (`warehouse.db.publish.written`), takes values
and returns values; the flow folds what they return into the run's summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from notify.run_record import RunRecord, record_run_in
from warehouse.diff.compare_loaded import Compared, compare_loaded
from warehouse.load.run_loader import Loaded, load_run_documents
from warehouse.runs.run_account import Parsed, RunSummary

if TYPE_CHECKING:
    import duckdb

    from extractors.fetch.cited_targets import CitedDocument
    from extractors.fetch.fetch_document import FetchResult
    from warehouse.load.companion_rows import CompanionDocument


@task(name="load-documents", cache_policy=NO_CACHE)
def load_documents(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    parsed: Sequence[Parsed],
    cited: Sequence[CitedDocument] = (),
    companions: Sequence[CompanionDocument] = (),
) -> Loaded:
    """Load the run's editions, cited documents and companions (`warehouse.load.run_loader`)."""
    return load_run_documents(con, run_id, parsed, cited, companions)


@task(name="diff-editions", cache_policy=NO_CACHE)
def diff_changes(con: duckdb.DuckDBPyConnection, run_id: str, loaded: Loaded) -> Compared:
    """Diff what the load changed and say which diffs reach readers (`warehouse.diff.compare_loaded`)."""
    return compare_loaded(con, run_id, loaded)


@task(name="record-run", cache_policy=NO_CACHE)
def record_run(
    con: duckdb.DuckDBPyConnection,
    run: RunRecord,
    summary: RunSummary,
    fetches: Sequence[FetchResult] = (),
) -> None:
    """Record the run, its fetches and manifest, and send the alerts its outcome calls for
    (`notify.run_record`)."""
    record_run_in(con, run, summary, fetches)
