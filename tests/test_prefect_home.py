"""`coopwatch run --db elsewhere` keeps Prefect's home (its database) beside that warehouse,
not in the project's data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from common.settings import PROJECT_DIR


def test_prefect_home_follows_the_warehouse(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COOPWATCH_", "PREFECT_"))
    }
    env.update(
        COOPWATCH_REPORTS=str(tmp_path / "reports"),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
    )
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--source", "bundled"]
        + ["--db", str(elsewhere / "cw.duckdb"), "--outbox", str(tmp_path / "outbox")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (elsewhere / "prefect").is_dir()
    assert any((elsewhere / "prefect").iterdir())
    assert str(PROJECT_DIR) not in done.stderr
