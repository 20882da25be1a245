"""The bundled run as `make run` does it (`coopwatch run --source bundled`), into a test's own
folder: the warehouse, reports and outbox it writes, and `coopwatch status` after it."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BundledRun:
    """Where one bundled run wrote: the folder, its warehouse, and what `status` printed."""

    folder: Path
    db: Path
    status_text: str


def _coopwatch(*args: str, env: dict[str, str]) -> str:
    finished = subprocess.run(
        [str(Path(sys.executable).parent / "coopwatch"), *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if finished.returncode != 0:
        raise AssertionError(f"coopwatch {' '.join(args)} failed:\n{finished.stderr[-3000:]}")
    return finished.stdout


def run_bundled(folder: Path) -> BundledRun:
    """`coopwatch run --source bundled` with the warehouse in `folder` (reports and outbox go
    beside it), then `coopwatch status` on it."""
    db = folder / "coopwatch.duckdb"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("COOPWATCH_") and not key.startswith("SMTP")
    }
    env["PREFECT_HOME"] = str(folder / "prefect")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    _coopwatch("run", "--source", "bundled", "--db", str(db), env=env)
    return BundledRun(folder, db, _coopwatch("status", "--db", str(db), env=env))


@functools.cache
def shared_bundled_run() -> BundledRun:
    """One bundled run per test session, shared by the modules that only read what it wrote
    (its folder is removed when the session ends)."""
    folder = Path(tempfile.mkdtemp(prefix="coopwatch-bundled-"))
    atexit.register(shutil.rmtree, folder, True)
    return run_bundled(folder)


def cli_bundled_run(
    folder: Path, db: Path, *, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m flows.cli run --source bundled --db DB` started in `folder`, as a user would
    from a fresh shell: no COOPWATCH_ or PREFECT_ variable but `env` (reports and outbox go
    into `folder`); returns the finished process with its output."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COOPWATCH_", "PREFECT_"))
    }
    clean.update(
        COOPWATCH_REPORTS=str(folder / "reports"),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
        **(env or {}),
    )
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--source", "bundled"]
        + ["--db", str(db), "--outbox", str(folder / "outbox")],
        cwd=folder,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )
