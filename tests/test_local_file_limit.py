"""Local files are read whole only under a size limit, like HTTP bodies: over it, `parse`
and `ingest` print one line naming the file and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from common.errors import DocumentTooLarge
from extractors.fetch.local_file import DEFAULT_MAX_FILE_BYTES, max_file_bytes, read_local_file
from flows.cli import app
from tests.conftest import EDITION_2022, SYMBOL_2022

runner = CliRunner()


def test_the_default_limit_is_the_http_body_limit() -> None:
    from extractors.fetch.http_client import ClientConfig

    assert ClientConfig(contact="x@example.org").max_body_bytes == DEFAULT_MAX_FILE_BYTES


def test_a_file_over_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"1. Un paragraphe.\n" * 100)
    with pytest.raises(DocumentTooLarge) as refused:
        read_local_file(path, limit=1000)
    assert str(refused.value) == (
        f"{path}: the file is 1800 bytes, over the 1000-byte limit (COOPWATCH_MAX_FILE_BYTES)"
    )
    assert read_local_file(path, limit=1800) == path.read_bytes()


@pytest.mark.parametrize("command", ["parse", "ingest"])
def test_cli_refuses_a_file_over_the_limit(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COOPWATCH_MAX_FILE_BYTES", "4096")
    assert max_file_bytes() == 4096
    db = tmp_path / "cw.duckdb"
    args = ["parse", str(EDITION_2022), "--json"]
    if command == "ingest":
        args = ["ingest", str(EDITION_2022), "--symbol", SYMBOL_2022, "--db", str(db)]
    result = runner.invoke(app, args)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert lines == [
        f"coopwatch: error: {EDITION_2022}: the file is {EDITION_2022.stat().st_size} bytes, "
        "over the 4096-byte limit (COOPWATCH_MAX_FILE_BYTES)"
    ]
    assert not db.exists()


def test_a_malformed_limit_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COOPWATCH_MAX_FILE_BYTES", "lots")
    result = runner.invoke(app, ["parse", str(EDITION_2022), "--json"])
    assert result.exit_code == 1
    assert "COOPWATCH_MAX_FILE_BYTES: 'lots' is not a positive byte count" in result.output
