"""One edition that cannot be loaded costs only itself: the others load, the run's manifest
names it with its reason, and the run fails at the end (non-zero exit)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import CORPUS_DIR

runner = CliRunner()
# The 2018 edition's paragraph 5 (read in corpus/A-73-328_fr.md) renumbered 4: the parser
# only warns about a repeated number, the store refuses the edition.
PARAGRAPH_5 = "\n5. Le Président et moi-même"


def _corpus_with_a_repeated_number(folder: Path) -> Path:
    shutil.copytree(CORPUS_DIR, folder)
    path = folder / "A-73-328_fr.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(PARAGRAPH_5) == 1
    path.write_text(text.replace(PARAGRAPH_5, "\n4. Le Président et moi-même"), encoding="utf-8")
    return folder


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _run_on(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`coopwatch run` on `corpus` into a warehouse under `tmp_path`: its path and the result."""
    db = tmp_path / "data" / "cw.duckdb"
    monkeypatch.setenv("COOPWATCH_REPORTS", str(tmp_path / "reports"))
    result = runner.invoke(
        app,
        ["run", "--db", str(db), "--outbox", str(tmp_path / "outbox"), "--corpus-dir", str(corpus)],
    )
    return db, result


def test_a_repeated_paragraph_number_costs_only_its_edition(
    prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus_with_a_repeated_number(tmp_path / "corpus")
    db, result = _run_on(corpus, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "A/73/328 (fr)" in result.output
    assert _query(db, "SELECT symbol FROM documents") == [("A/77/277",)]
    assert _query(db, "SELECT count(*) FROM paragraphs WHERE symbol = 'A/77/277'") == [(128,)]
    ((status, documents, failures, failed),) = _query(
        db, "SELECT status, documents, failures, failed_count FROM run_manifests"
    )
    assert status == "failed" and failed == 1
    outcomes = {(d["symbol"], d["outcome"]) for d in json.loads(documents)}
    assert outcomes == {("A/73/328", "failed"), ("A/77/277", "fetched")}
    (failure,) = failures
    assert failure.startswith("A/73/328 (fr): ") and "1 paragraph number(s) repeated: 4" in failure
    assert _query(db, "SELECT status FROM runs") == [("failed",)]
    # The run's error and its failure alert name the edition and the cause.
    ((error,),) = _query(db, "SELECT error FROM runs")
    assert error == failure
    ((body,),) = _query(db, "SELECT body_text FROM outbox WHERE subject LIKE '%run failed%'")
    assert failure in body and "unknown error" not in body


def test_an_edition_that_cannot_be_read_costs_only_itself(
    prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    (corpus / "A-73-328_fr.md").unlink()
    (corpus / "A-73-328_fr.md").mkdir()
    db, result = _run_on(corpus, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert _query(db, "SELECT symbol FROM documents") == [("A/77/277",)]
    ((documents, failures),) = _query(db, "SELECT documents, failures FROM run_manifests")
    outcomes = {(d["symbol"], d["outcome"]) for d in json.loads(documents)}
    assert outcomes == {("A/73/328", "failed"), ("A/77/277", "fetched")}
    (failure,) = failures
    assert failure.startswith("A/73/328 (fr): ") and "is a directory, not a file" in failure
