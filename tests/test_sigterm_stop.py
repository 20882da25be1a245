"""SIGTERM stops a run within seconds: the request in flight (to a server that accepted it
and never answers) is cut, not waited for up to the 600 s deadline, nothing is half-written,
and the run's manifest says it was stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
from silent_server import silent_server


def test_sigterm_cuts_the_fetch_in_flight_and_records_a_stopped_run(
    prefect_harness, tmp_path: Path
) -> None:
    with silent_server() as server:
        _stop_a_run_waiting_on(server.port, server.asked, tmp_path)
    db_path = tmp_path / "cw.duckdb"
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (status, failures), *_ = con.execute(
            "SELECT status, failures FROM run_manifests ORDER BY written_at DESC"
        ).fetchall()
        documents = con.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()
    assert status == "failed"
    assert any("the run was stopped" in failure for failure in failures), failures
    assert documents == (0,)
    assert not db_path.with_name(db_path.name + ".staging").exists()


def _stop_a_run_waiting_on(port: int, asked: threading.Event, tmp_path: Path) -> None:
    """Start `coopwatch run` against the silent server, SIGTERM it once its request is in
    flight, and wait for it to end (it must fail)."""
    from prefect.settings import PREFECT_API_URL

    db_path = tmp_path / "cw.duckdb"
    env = {name: value for name, value in os.environ.items() if not name.startswith("COOPWATCH_")}
    env.update(
        COOPWATCH_HTTP_RATE="0",
        COOPWATCH_HTTP_READ_TIMEOUT="600",
        COOPWATCH_REPORTS=str(tmp_path / "reports"),
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
    )
    command = [sys.executable, "-m", "flows.cli", "run", "--source", f"http://127.0.0.1:{port}"]
    command += ["--db", str(db_path), "--outbox", str(tmp_path / "outbox")]
    command += ["--editions", "A/77/277", "--no-discover", "--no-cited"]
    with open(tmp_path / "run.log", "wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            assert asked.wait(120), (tmp_path / "run.log").read_text()[-2000:]
            time.sleep(0.5)  # the request is in flight, its answer awaited
            process.send_signal(signal.SIGTERM)
            # A hang guard, not a timing: without the cut the run waits up to 600 s.
            process.wait(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    assert process.returncode != 0
