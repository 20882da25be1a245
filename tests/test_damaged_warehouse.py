"""A damaged warehouse file is one line naming it and the remedy, for every command that
opens it; a run refuses to start on it (exit 2) before fetching anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import EDITION_2018
from warehouse.ingest import ingest_file

runner = CliRunner()


@pytest.fixture(params=["overwritten", "truncated"])
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    db_path = tmp_path / "cw.duckdb"
    if request.param == "overwritten":
        db_path.write_bytes(bytes(range(256)) * 1200)
    else:
        ingest_file(EDITION_2018, symbol="A/73/328", language="fr", db_path=db_path)
        with open(db_path, "r+b") as handle:
            handle.truncate(20_000)
    return db_path


@pytest.mark.parametrize(
    "command",
    [["status"], ["notify"], ["export", "--parquet", "PARQUET"], ["diff", "A/73/328", "A/77/277"]],
)
def test_a_damaged_warehouse_is_one_line_with_the_remedy(
    damaged: Path, tmp_path: Path, command: list[str]
) -> None:
    arguments = [str(tmp_path / "pq") if part == "PARQUET" else part for part in command]
    result = runner.invoke(app, [*arguments, "--db", str(damaged)])

    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"coopwatch: error: the warehouse file {damaged} is damaged: ")
    assert lines[0].endswith("; restore it or `coopwatch rebuild`")
    assert "Traceback" not in result.output


def test_a_run_on_a_damaged_warehouse_does_not_start(damaged: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["run", "--source", "bundled", "--db", str(damaged), "--outbox", str(tmp_path / "o")],
        env={"COOPWATCH_REPORTS": str(tmp_path / "r")},
    )

    assert result.exit_code == 2, result.output
    assert f"the warehouse file {damaged} is damaged" in result.stderr
    assert not (tmp_path / "raw").exists()
