"""The nightly deployment for real: a Prefect server on loopback, a process work pool,
`prefect deploy` from prefect.yaml, a run triggered by hand and a worker that executes it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
PREFECT = Path(sys.executable).with_name("prefect")
DEPLOYMENT = "coopwatch-nightly/coopwatch-nightly"
POOL = "coopwatch-pool"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str], cwd: Path, timeout: float) -> str:
    """Run a command in its own process group; kill the whole group if it overruns."""
    process = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"{' '.join(args[1:])} took over {timeout} s:\n{output[-4000:]}")
    if process.returncode != 0:
        pytest.fail(f"{' '.join(args[1:])} exited {process.returncode}:\n{output[-4000:]}")
    return output


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a process group we started, then kill it if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A Prefect server on a free loopback port, its home in tmp; yields (API URL, child env)."""
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_API_URL=api_url,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_UI_ENABLED="false",
        # The cron would only add runs at 03:00; without the scheduler none can race ours.
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_WORKER_QUERY_SECONDS="1",
        NO_COLOR="1",
        COLUMNS="200",
    )
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_healthy(api_url, server, log_path, timeout=60)
        yield api_url, env
    finally:
        _stop(server)


def _wait_healthy(
    api_url: str, server: subprocess.Popen[bytes], log_path: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"prefect server exited {server.returncode}:\n{log_path.read_text()[-4000:]}"
            )
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"prefect server not healthy after {timeout} s:\n{log_path.read_text()[-4000:]}")


def test_deployment_runs_the_bundled_editions_on_a_worker(prefect_server, tmp_path: Path) -> None:
    api_url, env = prefect_server
    prefect = str(PREFECT)
    _run([prefect, "work-pool", "create", "--type", "process", POOL], env, tmp_path, timeout=30)
    _run([prefect, "--no-prompt", "deploy", "--all"], env, PROJECT_DIR, timeout=60)

    db = tmp_path / "run" / "cw.duckdb"
    parameters = {
        "source": '"bundled"',
        "languages": '["fr"]',
        "db_path": f'"{db}"',
        "outbox_dir": f'"{tmp_path / "run" / "outbox"}"',
        "reports_dir": f'"{tmp_path / "run" / "reports"}"',
    }
    param_args = [arg for key, value in parameters.items() for arg in ("--param", f"{key}={value}")]
    created = _run(
        [prefect, "deployment", "run", DEPLOYMENT, *param_args], env, tmp_path, timeout=30
    )
    match = re.search(r"UUID: ([0-9a-f-]{36})", created)
    assert match, f"no flow run id in:\n{created}"
    flow_run_id = match.group(1)

    # The worker starts outside the repository: only the pull step brings the flow's code in.
    worker_env = {**env, "COOPWATCH_PROJECT_DIR": str(PROJECT_DIR)}
    worker_log = _run(
        [prefect, "worker", "start", "--pool", POOL, "--run-once"], worker_env, tmp_path, timeout=90
    )

    flow_run = httpx.get(f"{api_url}/flow_runs/{flow_run_id}", timeout=10).json()
    assert flow_run["state"]["type"] == "COMPLETED", worker_log[-4000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        symbols = con.execute("SELECT symbol FROM documents ORDER BY symbol").fetchall()
        runs = con.execute("SELECT run_id, status FROM runs").fetchall()
    finally:
        con.close()
    assert symbols == [("A/73/328",), ("A/77/277",)]
    assert runs == [(flow_run_id, "completed")]

    deployment = httpx.get(f"{api_url}/deployments/name/{DEPLOYMENT}", timeout=10).json()
    schedules = [entry["schedule"] for entry in deployment["schedules"]]
    assert [(s.get("cron"), s.get("timezone")) for s in schedules] == [
        ("0 3 * * *", "Europe/Zurich")
    ]
    assert deployment["work_pool_name"] == POOL
    assert deployment["global_concurrency_limit"]["limit"] == 1
    assert deployment["parameters"]["source"] == "un"
    assert set(deployment["parameters"]) >= {"source", "languages", "db_path", "recipients"}
    assert deployment["pull_steps"] == [
        {
            "prefect.deployments.steps.set_working_directory": {
                "directory": "{{ $COOPWATCH_PROJECT_DIR }}"
            }
        }
    ]
