"""SIGTERM or Ctrl-C (SIGINT) ends a run within seconds even while a connection is being
opened (a host whose accept queue is full leaves the SYN unanswered, so connect() waits out
its timeout; a server that takes the connection and never answers the TLS handshake) or
while a connected server never answers; the run is recorded as stopped and the warehouse
keeps nothing half-written."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from silent_server import silent_server

SYN_SENT = "02"


@contextlib.contextmanager
def _unanswered_connect() -> Iterator[tuple[int, Callable[[], bool]]]:
    """A listener whose accept queue is full (backlog 0, one connection parked in it and
    never accepted): Linux drops further SYNs, so a client's connect() stays pending. Yields
    the port and a check that some socket of this host is in SYN_SENT towards it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    parked = [socket.create_connection(("127.0.0.1", port), timeout=5)]
    probe = socket.socket()
    probe.settimeout(0.5)
    try:
        with contextlib.suppress(TimeoutError):
            probe.connect(("127.0.0.1", port))
            pytest.skip("this kernel accepts connections past a full backlog; cannot hold a SYN")
    finally:
        probe.close()
    try:
        yield port, lambda: _syn_sent_to(port)
    finally:
        for sock in parked:
            sock.close()
        listener.close()


def _syn_sent_to(port: int) -> bool:
    """True when /proc/net/tcp shows a connection to 127.0.0.1:`port` still in SYN_SENT."""
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/tcp", encoding="ascii") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return any(row[2] == wanted and row[3] == SYN_SENT for row in rows)


@contextlib.contextmanager
def _silent_server() -> Iterator[tuple[int, Callable[[], bool]]]:
    """A listener that takes connections and the requests sent on them, and never answers."""
    with silent_server() as server:
        yield server.port, server.asked.is_set


SERVERS = {
    "connect pending": _unanswered_connect,
    "connected, no reply": _silent_server,
    # Over https the silent server never answers the ClientHello: the TLS handshake, part of
    # opening the connection, waits.
    "TLS handshake unanswered": _silent_server,
}


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net/tcp")
@pytest.mark.parametrize(
    ("server", "stop"),
    [
        ("connect pending", signal.SIGTERM),
        ("connect pending", signal.SIGINT),
        ("connected, no reply", signal.SIGINT),
        ("TLS handshake unanswered", signal.SIGTERM),
    ],
)
def test_a_stop_ends_the_run_while_its_request_waits(
    prefect_harness, tmp_path: Path, server: str, stop: signal.Signals
) -> None:
    from prefect.settings import PREFECT_API_URL

    db_path = tmp_path / "cw.duckdb"
    env = {name: value for name, value in os.environ.items() if not name.startswith("COOPWATCH_")}
    env.update(
        COOPWATCH_HTTP_RATE="0",
        COOPWATCH_HTTP_CONNECT_TIMEOUT="600",
        COOPWATCH_HTTP_READ_TIMEOUT="600",
        COOPWATCH_REPORTS=str(tmp_path / "reports"),
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
    )
    log_path = tmp_path / "run.log"
    with SERVERS[server]() as (port, waiting), open(log_path, "wb") as log:
        command = [sys.executable, "-m", "flows.cli", "run"]
        scheme = "https" if server.startswith("TLS") else "http"
        command += ["--source", f"{scheme}://127.0.0.1:{port}", "--db", str(db_path)]
        command += ["--outbox", str(tmp_path / "outbox"), "--editions", "A/77/277"]
        command += ["--no-discover", "--no-cited"]
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            # Hang guards, not timings: the run waits for its request (600 s timeouts).
            for _ in range(1200):
                if waiting() or process.poll() is not None:
                    break
                time.sleep(0.1)
            assert waiting(), log_path.read_text()[-2000:]
            time.sleep(1)  # the connect (or the answer) still awaited
            assert waiting() or server != "connect pending"
            process.send_signal(stop)
            process.wait(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    output = log_path.read_text()
    assert process.returncode != 0, output[-2000:]
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (status, failures), *_ = con.execute(
            "SELECT status, failures FROM run_manifests ORDER BY written_at DESC"
        ).fetchall()
        (run_status,) = con.execute("SELECT status FROM runs").fetchone()
        documents = con.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()
    assert (status, run_status) == ("failed", "failed")
    assert any("the run was stopped" in failure for failure in failures), failures
    assert documents == (0,)
    assert not db_path.with_name(db_path.name + ".staging").exists()
    assert "Traceback" not in output, output[-3000:]
