"""Editions loaded in two languages, compared language against language from the loaded rows
(`extractors.report.language_agreement`), for `coopwatch status`."""

from __future__ import annotations

from typing import Any

import duckdb

from extractors.report.language_agreement import compare_languages
from warehouse.load.read_back import read_report


def bilingual_editions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, tuple[str, ...]]]:
    """(symbol, languages) of every report loaded in more than one language, by symbol."""
    rows = con.execute(
        "SELECT symbol, list(DISTINCT language ORDER BY language) FROM documents "
        "WHERE kind = 'report' GROUP BY symbol HAVING count(DISTINCT language) > 1 "
        "ORDER BY symbol"
    ).fetchall()
    return [(symbol, tuple(languages)) for symbol, languages in rows]


def language_agreement(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per edition loaded in two or more languages: the first language against each other,
    the paragraphs compared and every disagreement (a parse or recognition defect)."""
    results: list[dict[str, Any]] = []
    for symbol, languages in bilingual_editions(con):
        first = read_report(con, symbol, languages[0])
        for language in languages[1:]:
            other = read_report(con, symbol, language)
            disagreements = compare_languages(first, other)
            results.append(
                {
                    "symbol": symbol,
                    "languages": [first.language, language],
                    "paragraphs": len(first.paragraphs),
                    "disagreements": [d.to_dict() | {"line": d.describe()} for d in disagreements],
                }
            )
    return results


def agreement_lines(results: list[dict[str, Any]]) -> list[str]:
    """The comparison as status lines: one per edition, then one per disagreement."""
    lines = ["Languages compared:"]
    if not results:
        lines.append("  none (no edition loaded in two languages)")
    for result in results:
        pair = "/".join(result["languages"])
        count = len(result["disagreements"])
        verdict = (
            f"agree on all {result['paragraphs']} paragraphs"
            if not count
            else f"{count} disagreement(s)"
        )
        lines.append(f"  {result['symbol']} ({pair}): {verdict}")
        lines.extend(f"    {d['line']}" for d in result["disagreements"])
    return lines
