"""Record pipeline runs in the warehouse: when they started, how they ended, what they counted.

`finish_run` also works on a file where the run never started (the staging copy of a failed
run is discarded), so the flow can record a failure in the published warehouse afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from common.redaction import redact_secrets
from warehouse.db.schema import utc_now
from warehouse.runs.email_states import email_detail, email_state

# Commands that load documents and record themselves as a row of `runs` (runs.kind); every
# other source is a pipeline run, the only kind that counts as a "last successful run".
COMMAND_KINDS = ("ingest", "reparse", "rebuild")
RUN_KIND = "run"


@dataclass(frozen=True)
class RunRow:
    """One run as stored in `runs`."""

    run_id: str
    source: str | None
    parameters: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    email_status: str | None = None
    error: str | None = None
    kind: str = RUN_KIND
    email_detail: str | None = None


def start_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    source: str,
    parameters: dict[str, Any],
    started_at: datetime | None = None,
) -> None:
    """Record that run `run_id` started (now, or at `started_at`) with `parameters` (JSON);
    restarting an id resets it. A source named after a command (ingest, reparse, rebuild)
    makes the row that command's kind, any other a pipeline run."""
    con.execute(
        "INSERT OR REPLACE INTO runs (run_id, kind, source, parameters, started_at, status) "
        "VALUES (?, ?, ?, ?::JSON, ?, 'running')",
        [
            run_id,
            source if source in COMMAND_KINDS else RUN_KIND,
            source,
            json.dumps(parameters, sort_keys=True, default=str),
            started_at or utc_now(),
        ],
    )


def is_recorded(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Whether run `run_id` already has its row in `runs`."""
    row = con.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchone()
    return bool(row and row[0])


def finish_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    status: str,
    counts: dict[str, int],
    email_status: str | None,
    error: str | None,
) -> None:
    """Record how run `run_id` ended; inserts the row (started now) if the start was not kept.
    `email_status` is the send's line: stored as its documented state and, in words, as
    email_detail. Secret settings are taken out of the error and the send's line."""
    now = utc_now()
    email_status, error = _redacted(email_status), _redacted(error)
    con.execute(
        "INSERT INTO runs (run_id, started_at, finished_at, status, counts, email_status, "
        "email_detail, error) VALUES (?, ?, ?, ?, MAP(?::VARCHAR[], ?::BIGINT[]), ?, ?, ?) "
        "ON CONFLICT (run_id) DO UPDATE SET finished_at = excluded.finished_at, "
        "status = excluded.status, counts = excluded.counts, "
        "email_status = excluded.email_status, email_detail = excluded.email_detail, "
        "error = excluded.error",
        [
            run_id,
            now,
            now,
            status,
            list(counts),
            [int(value) for value in counts.values()],
            email_state(email_status),
            email_detail(email_status),
            error,
        ],
    )


def record_ended_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    source: str,
    parameters: dict[str, Any],
    started_at: datetime,
    status: str,
    counts: dict[str, int],
    email_status: str | None,
    error: str | None,
) -> None:
    """Record a whole run, start and end, in one row (the nightly run writes it once, when it
    knows how it ended); an earlier row of the same id (a retried flow run) is replaced.
    Secret settings are taken out of the error and the send's line."""
    email_status, error = _redacted(email_status), _redacted(error)
    # DELETE then INSERT: DuckDB's upsert (ON CONFLICT, INSERT OR REPLACE) costs ~3.5 ms a
    # row, these two ~1.2 ms, a third of a quiet night's own writing; no foreign key points here.
    con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])
    con.execute(
        "INSERT INTO runs (run_id, kind, source, parameters, started_at, finished_at, status, "
        "counts, email_status, email_detail, error) "
        "VALUES (?, ?, ?, ?::JSON, ?, ?, ?, MAP(?::VARCHAR[], ?::BIGINT[]), ?, ?, ?)",
        [
            run_id,
            RUN_KIND,
            source,
            json.dumps(parameters, sort_keys=True, default=str),
            started_at,
            utc_now(),
            status,
            list(counts),
            [int(value) for value in counts.values()],
            email_state(email_status),
            email_detail(email_status),
            error,
        ],
    )


def last_success(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the last pipeline run that completed ended (commands such as ingest left out)."""
    (finished,) = con.execute(
        "SELECT max(coalesce(finished_at, started_at)) FROM runs "
        "WHERE status = 'completed' AND kind = ?",
        [RUN_KIND],
    ).fetchall()[0]
    return finished


def last_command(con: duckdb.DuckDBPyConnection) -> RunRow | None:
    """The latest ingest, reparse or rebuild, told apart from pipeline runs."""
    rows = last_runs(con, 1, kinds=COMMAND_KINDS)
    return rows[0] if rows else None


def last_runs(
    con: duckdb.DuckDBPyConnection, n: int = 2, kinds: tuple[str, ...] | None = None
) -> list[RunRow]:
    """The `n` most recently started runs (of `kinds`, else of every kind), newest first."""
    rows = con.execute(
        "SELECT run_id, source, parameters, started_at, finished_at, status, "
        "map_keys(counts), map_values(counts), email_status, error, kind, email_detail "
        "FROM runs WHERE ? IS NULL OR list_contains(?, kind) "
        "ORDER BY started_at DESC, run_id DESC LIMIT ?",
        [list(kinds) if kinds else None, list(kinds) if kinds else None, n],
    ).fetchall()
    return [
        RunRow(
            run_id=row[0],
            source=row[1],
            parameters=json.loads(row[2]) if row[2] else {},
            started_at=row[3],
            finished_at=row[4],
            status=row[5],
            counts=dict(zip(row[6] or [], row[7] or [], strict=True)),
            email_status=row[8],
            error=row[9],
            kind=row[10],
            email_detail=row[11],
        )
        for row in rows
    ]


def _redacted(text: str | None) -> str | None:
    """`text` with every secret setting taken out (None stays None)."""
    return redact_secrets(text) if text else text
