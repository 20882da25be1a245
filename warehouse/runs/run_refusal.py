"""A run that could not start (a bad setting), recorded in the warehouse it would have
written: its `runs` row and its manifest say why, so `status` and an operator see the night
was refused rather than find no run at all."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import duckdb

from common.errors import CoopWatchError
from warehouse.db.run_lock import run_lock
from warehouse.db.schema import connect, utc_now
from warehouse.runs.manifests import RunManifest, store_manifest
from warehouse.runs.run_rows import record_ended_run

NOT_STARTED = "the run did not start: fix the setting(s) named in failures"


def record_refused_run(
    db_path: Path, *, source: str, parameters: dict[str, Any], problems: list[str]
) -> str | None:
    """Record a refused run in one transaction when a warehouse file is there to hold it;
    its id, or None when there is none, another run holds it, or it cannot be opened (the
    refusal is then only on the terminal, as it must be)."""
    if not db_path.is_file():
        return None
    run_id = f"refused-{uuid.uuid4().hex[:12]}"
    try:
        with run_lock(db_path):
            con = connect(db_path)
            try:
                con.execute("BEGIN")
                record_ended_run(
                    con,
                    run_id=run_id,
                    source=source,
                    parameters=parameters,
                    started_at=utc_now(),
                    status="failed",
                    counts={},
                    email_status="none",
                    error="; ".join(problems),
                )
                store_manifest(
                    con,
                    RunManifest(
                        run_id=run_id,
                        status="failed",
                        source=source,
                        email_status="none",
                        notes=(NOT_STARTED,),
                        failures=tuple(problems),
                    ),
                )
                con.execute("COMMIT")
            finally:
                con.close()
    except (CoopWatchError, duckdb.Error, OSError):
        return None
    return run_id
