"""What the next run's fetches need from the warehouse: validators, loaded editions, citations.

The latest accepted fetch of each (symbol, language) in `fetches` gives the ETag,
Last-Modified and content hash for a conditional request, so an unchanged document costs
one small request and no parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extractors.fetch import FetchState

ACCEPTED_OUTCOMES: tuple[str, ...] = ("downloaded", "not_modified", "unchanged_hash")


def latest_fetch_states(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], FetchState]:
    """(symbol, language) -> the state left by its latest accepted fetch (absent ones skipped)."""
    rows = con.execute(
        "SELECT symbol, language, etag, last_modified, sha256 FROM fetches "
        "WHERE outcome IN (SELECT unnest($1::VARCHAR[])) AND sha256 IS NOT NULL "
        "AND symbol IS NOT NULL AND language IS NOT NULL "
        "QUALIFY row_number() OVER (PARTITION BY symbol, language "
        "ORDER BY fetched_at DESC, fetch_id DESC) = 1",
        [list(ACCEPTED_OUTCOMES)],
    ).fetchall()
    return {
        (symbol, language): FetchState(etag=etag, last_modified=modified, sha256=sha256)
        for symbol, language, etag, modified, sha256 in rows
    }


def loaded_edition_symbols(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Joint symbols of every edition loaded, oldest first (A/77/277-S/2022/606)."""
    rows = con.execute("SELECT symbols FROM editions ORDER BY year NULLS LAST, symbol").fetchall()
    return ["-".join(symbols) for (symbols,) in rows]


def edition_citations(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, ...]]:
    """(edition symbol, language) -> the symbols it cites, in first-citation order."""
    rows = con.execute(
        "SELECT c.symbol, c.language, c.cited_symbol FROM citations c "
        "JOIN documents d ON d.symbol = c.symbol AND d.language = c.language "
        "AND d.kind = 'report' "
        "GROUP BY c.symbol, c.language, c.cited_symbol "
        "ORDER BY c.symbol, c.language, min(coalesce(c.paragraph_number, 0)), min(c.position), "
        "c.cited_symbol"
    ).fetchall()
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for symbol, language, cited in rows:
        found[(symbol, language)] = (*found.get((symbol, language), ()), cited)
    return found


@dataclass(frozen=True)
class FetchKnowledge:
    """What the warehouse tells a run before it fetches anything."""

    states: dict[tuple[str, str], FetchState] = field(default_factory=dict)
    editions: tuple[str, ...] = ()
    citations: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def read_fetch_knowledge(db_path: Path) -> FetchKnowledge:
    """Fetch states, loaded editions and their citations at `db_path` (empty when no file)."""
    if not db_path.exists():
        return FetchKnowledge()
    from warehouse.db import connect

    con = connect(db_path, read_only=True)
    try:
        return FetchKnowledge(
            states=latest_fetch_states(con),
            editions=tuple(loaded_edition_symbols(con)),
            citations=edition_citations(con),
        )
    finally:
        con.close()
