"""A hostile server that echoes the Digital Library key (COOPWATCH_LIBRARY_KEY) back, whole
and cut short, in redirect addresses, error bodies and headers: no run of 4 characters of
the key reaches the terminal, a file the run writes, a warehouse row or Prefect (the run's
artifact, its state, its logs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.unserver import UNServer

KEY = "xK7qVw3zJp9tLm2rBn5c"
SYMBOL = "A/77/277"


def _fragments(secret: str, least: int = 4) -> set[str]:
    return {secret[i : i + least] for i in range(len(secret) - least + 1)}


def _leaks(text: str) -> set[str]:
    return {fragment for fragment in _fragments(KEY) if fragment in text}


def _warehouse_text(db_path: Path) -> str:
    """Every value of every table of the warehouse, as text."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
        ).fetchall()
        return "\n".join(
            str(con.execute(f'SELECT * FROM "{name}"').fetchall()) for (name,) in tables
        )
    finally:
        con.close()


def _prefect_text() -> str:
    """The run artifacts, flow run states and logs the Prefect API holds, as text."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.run_artifact import RUN_ARTIFACT_KEY

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[RUN_ARTIFACT_KEY]))
        )
        runs = client.read_flow_runs()
        logs = client.read_logs()
    return "\n".join(
        [f"{a.description}\n{a.data}" for a in artifacts]
        + [f"{run.state.message if run.state else ''}" for run in runs]
        + [log.message for log in logs]
    )


def test_a_server_echoing_the_library_key_gets_no_part_of_it_anywhere(
    prefect_harness, tmp_path: Path
) -> None:
    from prefect.settings import PREFECT_API_URL

    db_path = tmp_path / "data" / "cw.duckdb"
    env = {name: value for name, value in os.environ.items() if not name.startswith("COOPWATCH_")}
    env.update(
        COOPWATCH_LIBRARY_KEY=KEY,
        COOPWATCH_HTTP_RATE="0",
        COOPWATCH_HTTP_RETRIES="0",
        COOPWATCH_REPORTS=str(tmp_path / "reports"),
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        PREFECT_LOGGING_TO_API_ENABLED="true",
    )
    with UNServer() as server:
        server.api_key = KEY
        server.library_behaviour = "echo_key"
        server.add_document(SYMBOL, "fr", b"%PDF-1.7 never served")
        server.set_behaviour(SYMBOL, "fr", "echo_key")
        command = [sys.executable, "-m", "flows.cli", "run", "--source", server.base_url]
        command += ["--db", str(db_path), "--outbox", str(tmp_path / "outbox")]
        command += ["--editions", SYMBOL, "--lang", "fr", "--no-cited"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        denied = [entry for entry in server.log if entry.path.startswith("/denied/")]

    terminal = done.stdout + done.stderr
    # The server did echo it, through the library and the document both.
    assert {entry.path for entry in denied} == {"/denied/library", "/denied/document"}, terminal
    assert done.returncode == 1, terminal
    assert "HTTP 500" in terminal and "***" in terminal, terminal

    assert not _leaks(terminal), terminal
    stored = _warehouse_text(db_path)
    assert "/denied/document" in stored and "/denied/library" in stored
    assert not _leaks(stored), sorted(_leaks(stored))
    for path in tmp_path.rglob("*"):
        if path.is_file() and "duckdb" not in path.name:
            text = path.read_bytes().decode("utf-8", "replace")
            assert not _leaks(text), (path, sorted(_leaks(text)))
    seen = _prefect_text()
    assert "/denied/document" in seen
    assert not _leaks(seen), sorted(_leaks(seen))
