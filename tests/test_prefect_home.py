"""`coopwatch run --db elsewhere` keeps Prefect's home (its database) beside that warehouse,
not in the project's data folder."""

from __future__ import annotations

from pathlib import Path

from bundled_cli_run import cli_bundled_run

from common.settings import PROJECT_DIR


def test_prefect_home_follows_the_warehouse(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    done = cli_bundled_run(tmp_path, elsewhere / "cw.duckdb")
    assert done.returncode == 0, done.stderr[-2000:]
    assert (elsewhere / "prefect").is_dir()
    assert any((elsewhere / "prefect").iterdir())
    assert str(PROJECT_DIR) not in done.stderr
