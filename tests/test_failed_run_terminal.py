"""A failed run prints one line on the terminal; Prefect's traceback of it goes to the log
file in Prefect's home (`coopwatch.log`), where an operator can read it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bundled_cli_run import cli_bundled_run

from tests.conftest import CORPUS_DIR


def test_a_failed_run_is_one_line_and_its_traceback_is_in_the_log(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    (corpus / "A-73-328_fr.md").write_text("\n", encoding="utf-8")
    done = cli_bundled_run(tmp_path, tmp_path / "cw.duckdb", env={"COOPWATCH_CORPUS": str(corpus)})

    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-3000:]
    assert lines[0].startswith("coopwatch: error: run ")
    assert lines[0].endswith("A/73/328 (fr): A-73-328_fr.md: the file is empty")
    log = (tmp_path / "prefect" / "coopwatch.log").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "RunFailed" in log
