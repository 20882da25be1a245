"""What the next run's fetches need from the warehouse: validators, loaded editions, citations,
and the documents still waiting to appear on the ODS.

The latest accepted fetch of each (symbol, language) in `fetches` gives the ETag,
Last-Modified and content hash for a conditional request, so an unchanged document costs
one small request and no parse. A cited document never yet found is rechecked on every run
while the newest edition citing it is recent, then only now and then (`RecheckPolicy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from common.errors import NotASymbol
from common.settings import read_whole_number
from extractors.fetch.fetch_document import FetchState
from extractors.symbols import split_joint_symbol
from warehouse.db.schema import connect
from warehouse.load.companion_rows import stored_companions

ACCEPTED_OUTCOMES: tuple[str, ...] = ("downloaded", "not_modified", "unchanged_hash")
# Answers saying the service does not have a document, and answers that brought its bytes.
ABSENT_OUTCOMES: tuple[str, ...] = ("absent", "suspect_absence")
HELD_OUTCOMES: tuple[str, ...] = (*ACCEPTED_OUTCOMES, "stored", "unchanged")
RECHECK_DAYS_VARIABLE = "COOPWATCH_RECHECK_DAYS"
RECHECK_EVERY_VARIABLE = "COOPWATCH_RECHECK_EVERY_DAYS"
DEFAULT_RECHECK_DAYS = 45
DEFAULT_RECHECK_EVERY_DAYS = 7
DAYS = "a whole number of days"


@dataclass(frozen=True)
class RecheckPolicy:
    """When a document not yet on the ODS is asked again: on every run until `window_days`
    after the newest edition citing it appeared, then once every `every_days`."""

    window_days: int = DEFAULT_RECHECK_DAYS
    every_days: int = DEFAULT_RECHECK_EVERY_DAYS

    def window_end(self, appeared: date) -> date:
        """The first day a document cited by an edition that appeared on `appeared` is no
        longer rechecked on every run."""
        return appeared + timedelta(days=self.window_days)

    def next_recheck(self, appeared: date, last_checked: date, today: date) -> date:
        """`today` when a run today asks again, else the first day a run will."""
        if today < self.window_end(appeared):
            return today
        return max(today, last_checked + timedelta(days=self.every_days))

    def is_due(self, appeared: date, last_checked: date, today: date) -> bool:
        """True when a run on `today` asks the ODS again."""
        return self.next_recheck(appeared, last_checked, today) == today


def recheck_policy(environ: Mapping[str, str] | None = None) -> RecheckPolicy:
    """The policy from $COOPWATCH_RECHECK_DAYS (default 45) and $COOPWATCH_RECHECK_EVERY_DAYS
    (default 7) in `environ` (default: the process environment)."""
    return RecheckPolicy(
        window_days=read_whole_number(
            RECHECK_DAYS_VARIABLE, DEFAULT_RECHECK_DAYS, least=0, expected=DAYS, environ=environ
        ),
        every_days=read_whole_number(
            RECHECK_EVERY_VARIABLE,
            DEFAULT_RECHECK_EVERY_DAYS,
            least=1,
            expected=DAYS,
            environ=environ,
        ),
    )


@dataclass(frozen=True)
class WaitingDocument:
    """A (symbol, language) never held in any language, every answer so far "absent".

    `appeared` is when the newest edition citing it appeared (its date, else its first
    fetch), or the first absence when no loaded edition cites it or none has a date.
    """

    symbol: str
    language: str
    absent_since: datetime
    last_checked: datetime
    attempts: int
    appeared: date

    def next_recheck(self, policy: RecheckPolicy, today: date) -> date:
        """The first day from `today` on which a run asks the ODS for it again."""
        return policy.next_recheck(self.appeared, self.last_checked.date(), today)


def first_symbol(symbol: str) -> str:
    """The first part of a joint symbol in canonical spelling; the text itself otherwise."""
    try:
        return split_joint_symbol(symbol)[0]
    except NotASymbol:
        return symbol


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


_WAITING = f"""
    WITH answers AS (
        SELECT symbol, language, fetched_at, outcome IN {ABSENT_OUTCOMES} AS is_absent
        FROM fetches
        WHERE symbol IS NOT NULL AND language IS NOT NULL
          AND outcome IN {ABSENT_OUTCOMES + HELD_OUTCOMES}
    ),
    never_held AS (
        SELECT symbol FROM answers GROUP BY symbol HAVING bool_and(is_absent)
    )
    SELECT a.symbol, a.language, min(a.fetched_at), max(a.fetched_at), count(*)
    FROM answers a JOIN never_held USING (symbol)
    WHERE NOT EXISTS (SELECT 1 FROM documents d
                      WHERE d.symbol = a.symbol OR list_contains(d.symbols, a.symbol))
    GROUP BY a.symbol, a.language ORDER BY a.symbol, a.language
"""

_APPEARED = f"""
    WITH first_fetch AS (
        SELECT symbol, min(fetched_at)::DATE AS first_fetched FROM fetches
        WHERE outcome IN {HELD_OUTCOMES} AND symbol IS NOT NULL GROUP BY symbol
    )
    SELECT c.cited_symbol, max(coalesce(e.date, d.date, f.first_fetched))
    FROM citations c
    JOIN documents d ON d.symbol = c.symbol AND d.language = c.language AND d.kind = 'report'
    LEFT JOIN editions e ON e.symbol = c.symbol
    LEFT JOIN first_fetch f ON f.symbol = c.symbol
    GROUP BY c.cited_symbol
"""


def citing_edition_dates(con: duckdb.DuckDBPyConnection) -> dict[str, date]:
    """Cited symbol (first part, canonical) -> when the newest edition citing it appeared:
    the edition's date, else the day it was first fetched (symbols with neither left out)."""
    found: dict[str, date] = {}
    for cited, appeared in con.execute(_APPEARED).fetchall():
        key = first_symbol(cited)
        if appeared is not None and (key not in found or appeared > found[key]):
            found[key] = appeared
    return found


def waiting_documents(con: duckdb.DuckDBPyConnection) -> list[WaitingDocument]:
    """Documents never held in any language whose every answer was "absent", per language,
    with the history of their absence and when the newest edition citing them appeared."""
    appeared = citing_edition_dates(con)
    return [
        WaitingDocument(
            symbol=symbol,
            language=language,
            absent_since=first,
            last_checked=last,
            attempts=attempts,
            appeared=appeared.get(first_symbol(symbol), first.date()),
        )
        for symbol, language, first, last, attempts in con.execute(_WAITING).fetchall()
    ]


@dataclass(frozen=True)
class FetchKnowledge:
    """What the warehouse tells a run before it fetches anything."""

    states: dict[tuple[str, str], FetchState] = field(default_factory=dict)
    editions: tuple[str, ...] = ()
    citations: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    waiting: dict[tuple[str, str], WaitingDocument] = field(default_factory=dict)
    companions: tuple[str, ...] = ()


def read_fetch_knowledge(db_path: Path) -> FetchKnowledge:
    """Fetch states, loaded editions, their citations and the documents waiting to appear on
    the ODS at `db_path` (empty when no file)."""
    if not db_path.exists():
        return FetchKnowledge()

    con = connect(db_path, read_only=True)
    try:
        return FetchKnowledge(
            states=latest_fetch_states(con),
            editions=tuple(loaded_edition_symbols(con)),
            citations=edition_citations(con),
            waiting={(w.symbol, w.language): w for w in waiting_documents(con)},
            companions=tuple("-".join(c.symbols) for c in stored_companions(con)),
        )
    finally:
        con.close()
