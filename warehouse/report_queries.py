"""Queries the change digest and the report index need: organizations' paragraph counts and
shares across editions, broad areas' shares, names, and the pairs of editions compared."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


def trajectory(con: duckdb.DuckDBPyConnection, language: str = "fr") -> dict[str, dict[str, int]]:
    """Organization id -> {edition symbol -> section paragraphs}, for every loaded edition."""
    rows = con.execute(
        """
        SELECT organization_id, symbol, paragraph_count
        FROM organizations_by_edition
        WHERE language = ? AND section_count > 0
        ORDER BY organization_id, year
        """,
        [language],
    ).fetchall()
    result: dict[str, dict[str, int]] = {}
    for organization_id, symbol, paragraphs in rows:
        result.setdefault(organization_id, {})[symbol] = int(paragraphs)
    return result


def organization_names(con: duckdb.DuckDBPyConnection, language: str = "fr") -> dict[str, str]:
    """Organization id -> its name in `language` (English when there is no such column)."""
    column = "name_fr" if language == "fr" else "name_en"
    return dict(con.execute(f"SELECT organization_id, {column} FROM organizations").fetchall())


def paragraph_pages(
    con: duckdb.DuckDBPyConnection, symbols: tuple[str, ...], language: str = "fr"
) -> dict[tuple[str, int], int]:
    """(symbol, paragraph number) -> the page of its PDF where it starts, for the editions
    whose paragraphs have a page (PDF editions); the digest links evidence to that page."""
    rows = con.execute(
        """
        SELECT symbol, paragraph_number, page
        FROM paragraphs
        WHERE language = ? AND list_contains(?, symbol) AND page IS NOT NULL
        """,
        [language, list(symbols)],
    ).fetchall()
    return {(symbol, int(number)): int(page) for symbol, number, page in rows}


@dataclass(frozen=True)
class EditionTrajectories:
    """Everything the report index charts and tabulates, across every loaded edition:
    editions oldest first, per organization and per broad area their paragraphs and share of
    each edition, and every stored pair of editions compared."""

    editions: tuple[str, ...]
    years: dict[str, int | None]
    organization_paragraphs: dict[str, dict[str, int]]
    organization_shares: dict[str, dict[str, float]]
    area_shares: dict[str, dict[str, float]]
    pairs: tuple[tuple[str, str, int], ...]


def editions_in(con: duckdb.DuckDBPyConnection, language: str) -> list[tuple[str, int | None]]:
    """(symbol, year) of every edition loaded in `language`, in the series' order (session,
    then year, then symbol)."""
    return con.execute(
        """
        SELECT e.symbol, e.year FROM editions e
        WHERE EXISTS (SELECT 1 FROM documents d WHERE d.symbol = e.symbol
                      AND d.language = ? AND d.kind = 'report')
        ORDER BY e.session NULLS LAST, e.year NULLS LAST, e.symbol
        """,
        [language],
    ).fetchall()


def edition_trajectories(
    con: duckdb.DuckDBPyConnection, language: str = "fr"
) -> EditionTrajectories:
    """Read the trajectories of every loaded edition in `language` (sections and broad areas,
    the views organizations_by_edition and areas_by_edition) and the stored diffs."""
    editions = editions_in(con, language)
    paragraphs: dict[str, dict[str, int]] = {}
    shares: dict[str, dict[str, float]] = {}
    for organization_id, symbol, count, share in con.execute(
        """
        SELECT organization_id, symbol, paragraph_count, share_of_paragraphs
        FROM organizations_by_edition WHERE language = ? AND section_count > 0
        ORDER BY organization_id, symbol
        """,
        [language],
    ).fetchall():
        paragraphs.setdefault(organization_id, {})[symbol] = int(count)
        shares.setdefault(organization_id, {})[symbol] = float(share)
    areas: dict[str, dict[str, float]] = {}
    for area_id, symbol, share in con.execute(
        """
        SELECT ab.area_id, ab.symbol, ab.share_of_paragraphs FROM areas_by_edition ab
        JOIN areas a ON a.area_id = ab.area_id
        WHERE ab.language = ? AND a.parent_area_id IS NULL
        ORDER BY ab.area_id, ab.symbol
        """,
        [language],
    ).fetchall():
        areas.setdefault(area_id, {})[symbol] = float(share)
    pairs = con.execute(
        """
        SELECT d.old_symbol, d.new_symbol, d.changed_count FROM edition_diffs d
        LEFT JOIN editions o ON o.symbol = d.old_symbol
        LEFT JOIN editions n ON n.symbol = d.new_symbol
        ORDER BY n.session NULLS LAST, o.session NULLS LAST, d.old_symbol, d.new_symbol
        """
    ).fetchall()
    return EditionTrajectories(
        editions=tuple(symbol for symbol, _year in editions),
        years={symbol: year for symbol, year in editions},
        organization_paragraphs=paragraphs,
        organization_shares=shares,
        area_shares=areas,
        pairs=tuple((old, new, int(count)) for old, new, count in pairs),
    )
