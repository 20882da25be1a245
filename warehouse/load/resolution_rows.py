"""Rows of a loaded resolution: its `resolutions` row, its paragraphs and the organizations
its cooperation title names. Written by `warehouse.load.store_derived` whenever the resolution's
documents row is (re)written, so every command stores resolutions the same way.
"""

from __future__ import annotations

import duckdb

from common.errors import NotASymbol
from extractors.derive import DerivedResolution
from extractors.resolution.resolution_parser import Resolution
from extractors.symbols import parse_symbol
from warehouse.db.columns import Column, insert_columns

RESOLUTION_TABLES = ("resolutions", "resolution_paragraphs", "resolution_organizations")


def session_and_year(symbol: str, adopted: str | None) -> tuple[int | None, int | None]:
    """(General Assembly session, year) of a resolution: the session from an A/RES symbol,
    the year from an S/RES or S/PRST symbol, else from the adoption date."""
    try:
        parsed = parse_symbol(symbol)
    except NotASymbol:
        parsed = None
    session = parsed.session if parsed else None
    year = parsed.year if parsed and parsed.year else None
    if year is None and adopted:
        year = int(adopted[:4])
    return session, year


def write_resolution_rows(
    con: duckdb.DuckDBPyConnection, derived: DerivedResolution, *, run_id: str
) -> None:
    """Replace the resolution's rows (one symbol and language) with those `derived` gives."""
    key = [derived.symbol, derived.language]
    for table in RESOLUTION_TABLES:
        con.execute(f"DELETE FROM {table} WHERE symbol = ? AND language = ?", key)
    _insert_resolution(con, derived, key, run_id=run_id)
    mandate = derived.mandate
    stamp = {
        "symbol": derived.symbol,
        "language": derived.language,
        "parser_version": derived.parser_version,
        "run_id": run_id,
    }
    insert_columns(con, "resolution_paragraphs", _paragraph_columns(derived.resolution), stamp)
    insert_columns(
        con,
        "resolution_organizations",
        {
            "position": Column("INTEGER", list(range(len(mandate.organization_ids)))),
            "organization_id": Column("VARCHAR", list(mandate.organization_ids)),
        },
        stamp,
    )


def _insert_resolution(
    con: duckdb.DuckDBPyConnection, derived: DerivedResolution, key: list[str], *, run_id: str
) -> None:
    """Insert the resolution's own row: where and when it was adopted, and its mandate."""
    resolution, mandate = derived.resolution, derived.mandate
    session, year = session_and_year(derived.symbol, resolution.adopted)
    con.execute(
        "INSERT INTO resolutions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            *key,
            resolution.organ,
            session,
            year,
            resolution.adopted,
            resolution.meeting,
            resolution.title or None,
            mandate.is_cooperation,
            mandate.cites_edition,
            mandate.requested_session,
            mandate.request_paragraph,
            list(mandate.warnings),
            derived.parser_version,
            run_id,
        ],
    )


def _paragraph_columns(resolution: Resolution) -> dict[str, Column]:
    """The rows of `resolution_paragraphs` (preambular, operative, then annex), column-wise."""
    paragraphs = [
        *(
            ("preambular", position, None, text)
            for position, text in enumerate(resolution.preambular)
        ),
        *(
            ("operative", position, item.number, item.text)
            for position, item in enumerate(resolution.operative)
        ),
        *(
            ("annex", position, item.number, item.text)
            for position, item in enumerate(resolution.annex)
        ),
    ]
    return {
        "kind": Column("VARCHAR", [row[0] for row in paragraphs]),
        "position": Column("INTEGER", [row[1] for row in paragraphs]),
        "number": Column("INTEGER", [row[2] for row in paragraphs]),
        "text": Column("VARCHAR", [row[3] for row in paragraphs]),
    }
