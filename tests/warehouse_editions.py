"""The two real editions, parsed and enriched once per test session, and loaded into a fresh
warehouse file for each test that needs one (the calendar, similarity, status tests)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb
from conftest import EDITION_2018, EDITION_2022, SYMBOL_2018, SYMBOL_2022

from extractors.enrich.enrich_report import enrich_report
from extractors.enrich.reference_data import load_reference
from extractors.model import Report
from extractors.report.report_parser import parse_report_file
from warehouse.db.schema import connect
from warehouse.load.loader import load_reference as load_reference_tables
from warehouse.load.loader import load_report

EDITIONS = ((EDITION_2018, SYMBOL_2018), (EDITION_2022, SYMBOL_2022))


@cache
def enriched_editions() -> tuple[Report, Report]:
    """(2018, 2022) as parsed from corpus/ and enriched with the bundled reference data."""
    reference = load_reference()
    reports = [
        enrich_report(parse_report_file(path, symbol=symbol), reference)
        for path, symbol in EDITIONS
    ]
    return reports[0], reports[1]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_editions(db_path: Path, run_id: str = "run-load") -> duckdb.DuckDBPyConnection:
    """A warehouse at `db_path` with the reference data and both editions loaded."""
    con = connect(db_path)
    load_reference_tables(con, load_reference())
    for (path, _), report in zip(EDITIONS, enriched_editions(), strict=True):
        load_report(
            con,
            report,
            run_id=run_id,
            sha256=sha256_of(path),
            source_url=None,
            source_path=str(path),
        )
    return con
