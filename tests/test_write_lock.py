"""Every command that writes takes the run lock before it reads what it will write from.

`reparse` read the loaded editions, then parsed them, and only then took the lock: a
reissue another writer loaded in that gap was written back to its old text. Here the gap
is opened on purpose: while reparse parses, a second writer loads a reissue of the same
edition; whichever way the race goes, the warehouse must end with the last write that
succeeded.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from common.errors import CoopWatchError
from extractors.fetch.raw_store import sha256_hex
from tests.conftest import EDITION_2018, SYMBOL_2018
from warehouse import reparse
from warehouse.ingest import ingest_file

EDITION = SYMBOL_2018.split("-")[0]


def _loaded_sha(db_path: Path) -> str:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (sha,) = con.execute(
            "SELECT sha256 FROM documents WHERE symbol = ? AND language = 'fr'", [EDITION]
        ).fetchone()
    finally:
        con.close()
    return sha


def test_a_reissue_loaded_while_reparse_parses_is_not_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "cw.duckdb"
    first = tmp_path / "first.md"
    first.write_bytes(EDITION_2018.read_bytes())
    ingest_file(first, symbol=SYMBOL_2018, language="fr", db_path=db_path)
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE documents SET parser_version = 'report-0.9' WHERE kind = 'report'")
    con.close()

    reissue = tmp_path / "reissue.md"
    reissue.write_bytes(EDITION_2018.read_bytes() + "\n\nTexte ajouté à la réédition.\n".encode())
    outcomes: list[str] = []
    real_parse_kept = reparse.parse_kept

    def parse_while_a_reissue_loads(edition, data):  # type: ignore[no-untyped-def]
        try:
            ingest_file(reissue, symbol=SYMBOL_2018, language="fr", db_path=db_path)
            outcomes.append("reissue loaded")
        except CoopWatchError as error:
            outcomes.append(f"reissue refused: {error}")
        return real_parse_kept(edition, data)

    monkeypatch.setattr(reparse, "parse_kept", parse_while_a_reissue_loads)
    reparse.reparse_warehouse(db_path, tmp_path, EDITION)

    assert len(outcomes) == 1
    if outcomes[0] == "reissue loaded":
        assert _loaded_sha(db_path) == sha256_hex(reissue.read_bytes())
    else:
        assert "another CoopWatch run is in progress" in outcomes[0]
        assert _loaded_sha(db_path) == sha256_hex(first.read_bytes())
