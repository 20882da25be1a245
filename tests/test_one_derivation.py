"""The same bytes give the same rows, whatever the command: run, rebuild, ingest, reparse.

A nightly run against the local UN-like server loads the two real editions (as UN PDFs) and
two cited resolutions; `rebuild` derives a fresh warehouse from its raw store; `ingest` loads
the same four bodies from files; `reparse` re-derives the ingested editions after their
parser version is made stale. Every derived table and every gate verdict must be identical
in all four warehouses, provenance (run ids, times, where the bytes came from) aside.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from extractors.readers.route import read_file
from flows.cli import app
from tests.conftest import EDITION_2018, EDITION_2022
from tests.test_flow_remote import EDITIONS, FAST_HTTP, _edition_pdf, _serve
from tests.unserver import UNServer

pytestmark = pytest.mark.timeout(300)

runner = CliRunner()
PROVENANCE = {
    "run_id",
    "loaded_at",
    "checked_at",
    "stored_at",
    "source_url",
    "source_path",
    # Messages name the document as each command knew it (a URL, a raw path, a file).
    "warnings",
    "gate_reasons",
}
TABLES = (
    "documents",
    "editions",
    "chapters",
    "sections",
    "paragraphs",
    "paragraph_organizations",
    "paragraph_un_entities",
    "paragraph_areas",
    "citations",
    "parses",
)
INGESTED = (
    ("A/73/328-S/2018/592", "fr"),
    ("A/77/277-S/2022/606", "fr"),
    ("S/RES/1809(2008)", "fr"),
    ("A/RES/72/273", "en"),
)


def _rows(db: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = [
            name
            for (name,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if name not in PROVENANCE
        ]
        listed = ", ".join(f'"{name}"' for name in columns)
        return con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def _ingest(db: Path, files: dict[tuple[str, str], Path]) -> None:
    for (symbol, language), path in files.items():
        result = runner.invoke(
            app, ["ingest", str(path), "--symbol", symbol, "--lang", language, "--db", str(db)]
        )
        assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory, prefect_harness) -> dict[str, Path]:
    from flows.nightly import nightly

    folder = tmp_path_factory.mktemp("one-path")
    edition_pdfs = {
        "A/73/328": _edition_pdf(
            folder, read_file(EDITION_2018)[0], ("A/73/328", "S/2018/592"), "18-13651"
        ),
        "A/77/277": _edition_pdf(
            folder, read_file(EDITION_2022)[0], ("A/77/277", "S/2022/606"), "22-12374"
        ),
    }
    run_db = folder / "run" / "data" / "cw.duckdb"
    with UNServer() as server:
        _serve(server, edition_pdfs)
        nightly(
            source=server.base_url,
            db_path=str(run_db),
            outbox_dir=str(folder / "run" / "outbox"),
            reports_dir=str(folder / "run" / "reports"),
            editions=EDITIONS,
            http=FAST_HTTP,
        )

    rebuild_data = folder / "rebuild"
    shutil.copytree(run_db.parent / "raw", rebuild_data / "raw")
    if (run_db.parent / "editions.user.yaml").exists():
        shutil.copy(run_db.parent / "editions.user.yaml", rebuild_data)
    rebuilt = runner.invoke(app, ["rebuild", "--db", str(rebuild_data / "cw.duckdb")])
    assert rebuilt.exit_code == 0, rebuilt.output

    con = duckdb.connect(str(run_db), read_only=True)
    bodies = dict(
        ((symbol, language), run_db.parent / path)
        for symbol, language, path in con.execute(
            "SELECT CASE WHEN kind = 'report' THEN array_to_string(symbols, '-') ELSE symbol END, "
            "language, source_path FROM documents"
        ).fetchall()
    )
    con.close()
    assert set(bodies) == set(INGESTED)
    files = {}
    for key, raw in bodies.items():
        files[key] = folder / "files" / f"{key[0].replace('/', '-')}_{key[1]}"
        files[key].parent.mkdir(exist_ok=True)
        shutil.copy(raw, files[key])
    ingest_db = folder / "ingest" / "cw.duckdb"
    _ingest(ingest_db, files)

    reparse_db = folder / "reparse" / "cw.duckdb"
    _ingest(reparse_db, files)
    con = duckdb.connect(str(reparse_db))
    con.execute("UPDATE documents SET parser_version = 'report-0.9' WHERE kind = 'report'")
    con.close()
    reparsed = runner.invoke(app, ["reparse", "--all", "--db", str(reparse_db)])
    assert reparsed.exit_code == 0, reparsed.output
    assert "2 re-derived" in reparsed.output
    return {
        "run": run_db,
        "rebuild": rebuild_data / "cw.duckdb",
        "ingest": ingest_db,
        "reparse": reparse_db,
    }


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("command", ["rebuild", "ingest", "reparse"])
def test_same_bytes_give_the_same_rows_whatever_the_command(
    warehouses: dict[str, Path], command: str, table: str
) -> None:
    expected = _rows(warehouses["run"], table)
    assert expected, f"the run wrote no {table} rows"
    assert _rows(warehouses[command], table) == expected


def test_every_loaded_edition_has_a_gate_verdict(warehouses: dict[str, Path]) -> None:
    for db in warehouses.values():
        con = duckdb.connect(str(db), read_only=True)
        try:
            verdicts = con.execute(
                "SELECT d.symbol, p.gate_passed FROM documents d JOIN parses p "
                "USING (symbol, language, sha256, parser_version) WHERE d.kind = 'report' "
                "ORDER BY 1"
            ).fetchall()
        finally:
            con.close()
        assert verdicts == [("A/73/328", True), ("A/77/277", True)], db
