"""The `coopwatch` command line: parse, ingest, diff, schema, export, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import EDITION_2018, EDITION_2022, SYMBOL_2018, SYMBOL_2022

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory) -> Path:
    """A warehouse with both real editions ingested through the CLI."""
    db = tmp_path_factory.mktemp("cli") / "cw.duckdb"
    for path, symbol in ((EDITION_2018, SYMBOL_2018), (EDITION_2022, SYMBOL_2022)):
        result = invoke("ingest", path, "--symbol", symbol, "--db", db)
        assert result.exit_code == 0, result.output
        assert "loaded" in result.output
    return db


def test_parse_json_has_the_documented_keys() -> None:
    result = invoke("parse", EDITION_2022, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["symbols"] == ["A/77/277", "S/2022/606"]
    assert data["previous_report"] == ["A/75/345", "S/2020/898"]
    assert data["sections"][0]["heading"] == "Union africaine"
    assert data["sections"][0]["organization"] == "AU"
    assert data["sections"][0]["paragraph_count"] == 28
    assert [p["number"] for p in data["paragraphs"]] == list(range(1, 129))
    assert "S/RES/2628(2022)" in data["citations"]


def test_ingest_twice_changes_nothing(loaded_db: Path) -> None:
    result = invoke("ingest", EDITION_2022, "--symbol", SYMBOL_2022, "--db", loaded_db)
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output


def test_diff_json_names_the_real_section_changes(loaded_db: Path) -> None:
    result = invoke("diff", "A/73/328", "A/77/277", "--db", loaded_db, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    changes = {(o["id"], o["change"]) for o in data["organizations"]}
    assert ("OECD", "appeared") in changes
    assert ("CPLP", "vanished") in changes
    assert ("IOM", "section_vanished_still_mentioned") in changes


def test_diff_of_an_unknown_edition_is_one_clear_line(loaded_db: Path) -> None:
    result = invoke("diff", "A/73/328", "A/99/999", "--db", loaded_db)
    assert result.exit_code == 1
    assert "A/99/999: not loaded" in result.output


def test_schema_prints_the_data_dictionary(loaded_db: Path) -> None:
    result = invoke("schema", "--db", loaded_db)
    assert result.exit_code == 0, result.output
    assert "paragraphs.text" in result.output


def test_export_writes_parquet(loaded_db: Path, tmp_path: Path) -> None:
    result = invoke("export", "--parquet", tmp_path / "pq", "--db", loaded_db)
    assert result.exit_code == 0, result.output
    rows = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'pq' / 'paragraphs.parquet'}'").fetchall()
    assert rows == [(229,)]


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary", "binary"),
        (b"Une lettre.\n\nSans paragraphes numerotes.\n", "no numbered paragraphs"),
    ],
)
def test_bad_input_exits_non_zero_and_writes_nothing(
    tmp_path: Path, content: bytes | None, cause: str
) -> None:
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    db = tmp_path / "cw.duckdb"
    for args in (("parse", path, "--json"), ("ingest", path, "--symbol", "A/1/1", "--db", db)):
        result = invoke(*args)
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1
        assert str(path) in lines[0] and cause in lines[0]
    assert not db.exists()


def test_docs_warehouse_md_is_the_generated_dictionary() -> None:
    result = invoke("schema", "--markdown")
    assert result.exit_code == 0, result.output
    docs = (Path(__file__).resolve().parent.parent / "docs" / "warehouse.md").read_text(
        encoding="utf-8"
    )
    assert result.output == docs, "docs/warehouse.md is stale: run `make docs`"
