"""Mandate coverage of an edition, read from the `mandate_coverage` view: organizations a
current cooperation resolution asked to be reported on that the edition has no section for,
and sections for organizations no current resolution asked for, each with its evidence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

MANDATED_NOT_REPORTED = "mandated, not reported"
REPORTED_WITHOUT_MANDATE = "reported without a current mandate"


@dataclass(frozen=True)
class CoverageItem:
    """One coverage finding of an edition, with the resolution and paragraphs behind it."""

    edition: str
    organization_id: str
    status: str
    resolution_symbol: str | None
    request_paragraph: int | None
    requested_session: int | None
    paragraph_numbers: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (lists, not tuples)."""
        return {**asdict(self), "paragraph_numbers": list(self.paragraph_numbers)}


def edition_coverage(con: duckdb.DuckDBPyConnection, edition: str) -> list[CoverageItem]:
    """The coverage findings of `edition`: mandated-not-reported first, then the largest
    sections without a mandate; empty when no loaded cooperation resolution is answered by it."""
    rows = con.execute(
        """
        SELECT edition_symbol, organization_id, status, resolution_symbol, request_paragraph,
               requested_session, paragraph_numbers
        FROM mandate_coverage WHERE edition_symbol = ?
        ORDER BY status <> ?, section_paragraph_count DESC, organization_id
        """,
        [edition, MANDATED_NOT_REPORTED],
    ).fetchall()
    return [
        CoverageItem(
            edition=str(symbol),
            organization_id=str(organization),
            status=str(status),
            resolution_symbol=resolution,
            request_paragraph=paragraph,
            requested_session=session,
            paragraph_numbers=tuple(numbers or ()),
        )
        for symbol, organization, status, resolution, paragraph, session, numbers in rows
    ]


def open_coverage(con: duckdb.DuckDBPyConnection) -> list[CoverageItem]:
    """The coverage findings still open: those of the newest edition that answers any loaded
    cooperation resolution (an older edition's gaps were answered, or not, by its successor)."""
    newest = con.execute(
        """
        SELECT c.edition_symbol FROM mandate_coverage c
        JOIN editions e ON e.symbol = c.edition_symbol
        ORDER BY e.session DESC NULLS LAST, e.symbol DESC LIMIT 1
        """
    ).fetchall()
    return edition_coverage(con, newest[0][0]) if newest else []


def number_ranges(numbers: tuple[int, ...] | list[int]) -> str:
    """'5-8, 12' for 5, 6, 7, 8, 12: paragraph evidence as printed in status lines."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


CHECKED = "checked"


@dataclass(frozen=True)
class MandateCheck:
    """Whether an edition's mandate coverage could be checked, from the `mandate_check` view."""

    edition: str | None
    coverage: str
    resolutions_loaded: int
    cooperation_resolutions_loaded: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)

    def sentence(self) -> str:
        """What an unchecked coverage means, in words (empty when it was checked)."""
        if self.coverage == CHECKED:
            return ""
        if self.resolutions_loaded == 0:
            why = "no resolutions are loaded"
        elif self.cooperation_resolutions_loaded == 0:
            why = f"{self.resolutions_loaded} resolution(s) loaded, none a cooperation resolution"
        else:
            why = f"no loaded cooperation resolution asks for {self.edition or 'a loaded edition'}"
        return (
            f"unknown: {why}, so no edition can be checked against the resolutions that "
            "mandate its sections (nothing open here does not mean every mandate was "
            "reported); load them with `coopwatch ingest FILE` or a run that fetches the "
            "documents the editions cite"
        )


def mandate_check(con: duckdb.DuckDBPyConnection) -> MandateCheck:
    """The check behind `open_coverage`: of the newest edition whose coverage was checked,
    else of the newest loaded edition (no edition: nothing could be checked)."""
    rows = con.execute(
        """
        SELECT m.edition_symbol, m.coverage, m.resolutions_loaded,
               m.cooperation_resolutions_loaded
        FROM mandate_check m JOIN editions e ON e.symbol = m.edition_symbol
        ORDER BY m.coverage = ? DESC, e.session DESC NULLS LAST, e.symbol DESC LIMIT 1
        """,
        [CHECKED],
    ).fetchall()
    if rows:
        edition, coverage, loaded, cooperation = rows[0]
        return MandateCheck(str(edition), str(coverage), int(loaded), int(cooperation))
    (loaded, cooperation) = con.execute(
        "SELECT count(DISTINCT symbol), count(DISTINCT symbol) FILTER (WHERE is_cooperation) "
        "FROM resolutions"
    ).fetchall()[0]
    return MandateCheck(None, "unknown: no edition loaded", int(loaded), int(cooperation))
