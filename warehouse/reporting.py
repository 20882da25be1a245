"""Queries the change digest needs: organizations' paragraph counts across editions, names."""

from __future__ import annotations

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
