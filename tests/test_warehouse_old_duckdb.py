"""The warehouse `make run` writes opens read-only in the DuckDB analysts have: DuckDB 1.1 and
the newest 1.x, each installed by the test into a throwaway environment (`uv venv`), where
every table, every view and every recipe of docs/queries.md runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from bundled_cli_run import BundledRun, shared_bundled_run
from query_recipes import recipes

# 1.1 is the oldest DuckDB the README promises; "<2" is the newest 1.x the index holds.
OLD_DUCKDBS = {"1.1": "duckdb==1.1.3", "newest 1.x": "duckdb<2"}

PROBE = textwrap.dedent(
    """
    import json, sys
    import duckdb
    db, queries = sys.argv[1], json.loads(sys.stdin.read())
    con = duckdb.connect(db, read_only=True)
    answers = {}
    for name, sql in queries.items():
        try:
            answers[name] = {"rows": con.execute(sql).fetchall()}
        except Exception as error:
            answers[name] = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps({"version": duckdb.__version__, "answers": answers}, default=str))
    """
)


@pytest.fixture(scope="module")
def bundled() -> BundledRun:
    return shared_bundled_run()


def _uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        pytest.skip(
            "uv is not installed (make setup installs it in .venv); old DuckDBs not checked"
        )
    return found


def _environment(requirement: str, folder: Path) -> Path:
    """A throwaway virtual environment holding `requirement`; its Python."""
    uv = _uv()
    env = dict(os.environ)  # SSL_CERT_FILE and the index settings stay as they are
    venv = folder / "venv"
    made = subprocess.run(
        [uv, "venv", "--quiet", str(venv)], env=env, capture_output=True, text=True
    )
    python = venv / "bin" / "python"
    installed = made.returncode == 0 and (
        subprocess.run(
            [uv, "pip", "install", "--quiet", "--python", str(python), requirement],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    )
    if not installed or installed.returncode != 0:
        detail = (installed.stderr if installed else made.stderr).strip().splitlines()[-1:]
        pytest.skip(f"could not install {requirement} into a throwaway environment: {detail}")
    return python


def probes(db: Path) -> dict[str, str]:
    """A query per table and view of the warehouse (every row, every column)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT internal UNION ALL "
                "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"
            ).fetchall()
        ]
    finally:
        con.close()
    return {name: f"SELECT * FROM {name}" for name in names}


def answers_in(python: Path, db: Path, queries: dict[str, str], cwd: Path) -> tuple[str, dict]:
    """The version of the DuckDB in `python` and its answer to each query, read-only, run in
    `cwd` (where a recipe's export lands)."""
    finished = subprocess.run(
        [str(python), "-c", PROBE, str(db)],
        cwd=cwd,
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout)
    return result["version"], result["answers"]


@pytest.mark.parametrize("label", sorted(OLD_DUCKDBS))
def test_the_bundled_warehouse_opens_in_an_older_duckdb(
    bundled: BundledRun, tmp_path: Path, label: str
) -> None:
    python = _environment(OLD_DUCKDBS[label], tmp_path)
    queries = probes(bundled.db) | {f"recipe {r.title}": r.sql for r in recipes()}
    (tmp_path / "here").mkdir()
    version, answers = answers_in(python, bundled.db, queries, tmp_path / "here")
    assert version.startswith("1."), version
    if label == "1.1":
        assert version.startswith("1.1."), version
    failed = {name: answer["error"] for name, answer in answers.items() if "error" in answer}
    assert failed == {}
    assert len(answers["paragraphs"]["rows"]) == 229  # 101 numbered paragraphs (2018) + 128 (2022)
    # Each recipe of docs/queries.md gives there the answer the DuckDB CoopWatch runs gives.
    (tmp_path / "there").mkdir()
    _, current = answers_in(Path(sys.executable), bundled.db, queries, tmp_path / "there")
    for recipe in recipes():
        name = f"recipe {recipe.title}"
        assert answers[name] == current[name], name


def test_status_says_which_duckdb_opens_the_file(bundled: BundledRun) -> None:
    assert "Warehouse file: DuckDB storage v1.0.0+, opens in DuckDB 1.1 and later" in (
        bundled.status_text
    )


def test_status_after_the_bundled_run_says_mandate_coverage_is_unknown(
    bundled: BundledRun,
) -> None:
    """The bundled run loads no resolution: status says so, never "none open"."""
    assert (
        "Mandate coverage: unknown: no resolutions are loaded, so no edition can be checked "
        "against the resolutions that mandate its sections (nothing open here does not mean "
        "every mandate was reported)"
    ) in bundled.status_text
    assert "none open" not in bundled.status_text
    assert "Last successful run: 20" in bundled.status_text


def test_the_bundled_run_records_documented_status_values(bundled: BundledRun) -> None:
    con = duckdb.connect(str(bundled.db), read_only=True)
    try:
        runs = con.execute("SELECT kind, status, email_status, email_detail FROM runs").fetchall()
        manifests = con.execute("SELECT status, email_status FROM run_manifests").fetchall()
    finally:
        con.close()
    # The bundled run writes its one email as an .eml file: sent, and the line beside it.
    assert runs == [("run", "completed", "sent", "sent 1 (eml)")]
    assert manifests == [("completed", "sent")]
