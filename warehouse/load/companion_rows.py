"""Corrigenda, addenda, revisions and amendments of editions in the warehouse.

Each is its own row of `documents` (kind 'other', no derived rows) and a row of
`edition_companions` linking it to the edition it belongs to; the status, the digest and the
next run's fetch plan read them from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from common.errors import NotASymbol
from extractors.symbols import edition_of, parse_symbol, split_joint_symbol
from warehouse.load.loader import load_document
from warehouse.runs.run_account import RunSummary

COMPANION_VERSION = "companion-1"
_NO_SUFFIX = "no /Corr., /Add., /Rev. or /Amend. suffix: not a companion of an edition"
# How the status and the digest name a companion and several of them.
_PLURALS = {
    "corrigendum": "corrigenda",
    "addendum": "addenda",
    "revision": "revisions",
    "amendment": "amendments",
}


@dataclass(frozen=True)
class StoredCompanion:
    """A companion as the warehouse holds it: its symbol(s), edition, kind and languages."""

    symbol: str
    symbols: tuple[str, ...]
    edition: str
    companion: str
    languages: tuple[str, ...]
    first_run_id: str

    def to_dict(self) -> dict[str, object]:
        """The JSON shape `coopwatch status --json` prints."""
        return {
            "symbol": self.symbol,
            "symbols": list(self.symbols),
            "edition": self.edition,
            "companion": self.companion,
            "languages": list(self.languages),
        }


def companion_kind(symbol: str) -> str:
    """'corrigendum', 'addendum', 'revision' or 'amendment' for a suffixed symbol."""
    kind = parse_symbol(split_joint_symbol(symbol)[0]).companion
    if kind is None:
        raise NotASymbol(symbol, _NO_SUFFIX)
    return kind


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'edition_companions'"
    ).fetchall()
    return bool(found[0][0])


def link_companion(
    con: duckdb.DuckDBPyConnection, *, symbol: str, language: str, run_id: str
) -> bool:
    """Link a stored companion document to its edition; True when it is new in `language`."""
    edition = edition_of(symbol)
    if edition is None:
        raise NotASymbol(symbol, _NO_SUFFIX)
    known = con.execute(
        "SELECT count(*) FROM edition_companions WHERE symbol = ? AND language = ?",
        [symbol, language],
    ).fetchall()[0][0]
    con.execute(
        "INSERT INTO edition_companions "
        "(symbol, language, edition_symbol, companion, first_run_id, run_id) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (symbol, language) DO UPDATE SET "
        "run_id = excluded.run_id",
        [symbol, language, edition, companion_kind(symbol), run_id, run_id],
    )
    return not known


def stored_companions(
    con: duckdb.DuckDBPyConnection, editions: Iterable[str] | None = None
) -> list[StoredCompanion]:
    """The companions held, by edition and symbol; only those of `editions` when given."""
    if not _has_table(con):
        return []
    rows = con.execute(
        "SELECT c.symbol, any_value(d.symbols), c.edition_symbol, any_value(c.companion), "
        "list(DISTINCT c.language ORDER BY c.language), min(c.first_run_id) "
        "FROM edition_companions c JOIN documents d "
        "ON d.symbol = c.symbol AND d.language = c.language "
        "GROUP BY c.symbol, c.edition_symbol ORDER BY c.edition_symbol, c.symbol"
    ).fetchall()
    wanted = set(editions) if editions is not None else None
    return [
        StoredCompanion(row[0], tuple(row[1]), row[2], row[3], tuple(row[4]), row[5])
        for row in rows
        if wanted is None or row[2] in wanted
    ]


def companion_sentences(companions: Sequence[StoredCompanion]) -> list[str]:
    """One sentence per edition and kind: 'A/77/277 has a corrigendum (A/77/277/Corr.1)'."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for companion in companions:
        grouped.setdefault((companion.edition, companion.companion), []).append(companion.symbol)
    sentences = []
    for (edition, kind), symbols in grouped.items():
        listed = ", ".join(dict.fromkeys(symbols))
        if len(set(symbols)) == 1:
            article = "an" if kind[0] in "aeiou" else "a"
            sentences.append(f"{edition} has {article} {kind} ({listed})")
        else:
            sentences.append(f"{edition} has {len(set(symbols))} {_PLURALS[kind]} ({listed})")
    return sentences


@dataclass(frozen=True)
class CompanionDocument:
    """A fetched companion ready to store: its symbols, edition, language and bytes' origin."""

    symbols: tuple[str, ...]
    edition: str
    language: str
    sha256: str
    source_url: str | None
    source_path: str

    @property
    def symbol(self) -> str:
        """The first symbol, which names the document (A/77/277/Corr.1)."""
        return self.symbols[0]


def store_companion(
    con: duckdb.DuckDBPyConnection, document: CompanionDocument, run_id: str
) -> bool:
    """Store one companion as its own document (kind 'other', no derived rows) linked to its
    edition; True when the warehouse held no text of it before, in any language."""
    held_before = any(c.symbol == document.symbol for c in stored_companions(con))
    load_document(
        con,
        symbol=document.symbol,
        language=document.language,
        kind="other",
        sha256=document.sha256,
        parser_version=COMPANION_VERSION,
        run_id=run_id,
        symbols=document.symbols,
        source_url=document.source_url,
        source_path=document.source_path,
    )
    link_companion(con, symbol=document.symbol, language=document.language, run_id=run_id)
    return not held_before


def store_companions(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    companions: Iterable[CompanionDocument],
) -> RunSummary:
    """Store each companion linked to its edition; the account counts them and names one new
    in the warehouse once ('A/77/277 has a corrigendum (A/77/277/Corr.1): stored and linked')."""
    new = set()
    stored = 0
    for document in companions:
        if store_companion(con, document, run_id):
            new.add(document.symbol)
        stored += 1
    fresh = [c for c in stored_companions(con) if c.symbol in new]
    account = RunSummary(
        notes=tuple(f"{sentence}: stored and linked" for sentence in companion_sentences(fresh))
    )
    return account.with_count("companions_stored", stored) if stored else account
