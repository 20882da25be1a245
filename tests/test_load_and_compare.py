"""The one way in and the diff of what a load changed, on the two bundled editions: the
edition files are read as the bundled run reads them (extractors/fetch/bundled_editions.py),
derived (extractors/documents.py), stored (warehouse/load/store_derived.py, through
warehouse/load/run_loader.py) and compared (warehouse/diff/compare_loaded.py).

Expected values read in the documents: two editions, 2018 (A/73/328) then 2022 (A/77/277);
the OECD has a section in 2022 only (tests/test_diff_golden.py's SECTIONS_2022, 101-105);
the pair diffed is 2018 -> 2022, the two consecutive editions loaded (the 2020 one is not
bundled).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.documents import parse_document
from extractors.fetch.bundled_editions import bundled_editions
from extractors.fetch.sources import bundled_documents, read_bundled
from warehouse.db.schema import connect
from warehouse.diff.compare_loaded import compare_loaded, compare_touched_editions
from warehouse.load.read_back import list_editions
from warehouse.load.run_loader import Loaded, load_run_documents
from warehouse.load.store_derived import ToStore, store_derived
from warehouse.runs.run_account import Parsed, RunSummary


@pytest.fixture(scope="module")
def parsed() -> list[Parsed]:
    documents = [read_bundled(ref) for ref in bundled_documents(["fr"], None)]
    return [Parsed(document, parse_document(document)) for document in documents]


def test_bundled_editions_are_the_two_shipped_oldest_first() -> None:
    editions = bundled_editions()
    assert [(e.symbols, e.language, e.year) for e in editions] == [
        (("A/73/328", "S/2018/592"), "fr", 2018),
        (("A/77/277", "S/2022/606"), "fr", 2022),
    ]
    data, sha256 = editions[0].read()
    assert data.startswith(b"\n") and len(sha256) == 64


def test_store_derived_loads_new_then_finds_them_unchanged(parsed, tmp_path: Path) -> None:
    con = connect(tmp_path / "cw.duckdb")
    try:
        first = store_derived(con, [ToStore(item.derived) for item in parsed], run_id="run-1")
        again = store_derived(con, [ToStore(item.derived) for item in parsed], run_id="run-2")
        editions = [e.symbol for e in list_editions(con, "fr")]
    finally:
        con.close()
    assert [(s.symbol, s.outcome, s.gate_passed) for s in first] == [
        ("A/73/328", "new", True),
        ("A/77/277", "new", True),
    ]
    assert [s.outcome for s in again] == ["unchanged", "unchanged"]
    assert editions == ["A/73/328", "A/77/277"]


def test_a_loaded_pair_is_compared_and_the_newest_change_mailed(parsed, tmp_path: Path) -> None:
    con = connect(tmp_path / "cw.duckdb")
    try:
        loaded = load_run_documents(con, "run-1", parsed)
        compared = compare_loaded(con, "run-1", loaded)
        nothing = compare_loaded(con, "run-2", Loaded(RunSummary(run_id="run-2")))
        again = compare_touched_editions(con, "fr", set(), {("A/77/277", "fr")}, "run-3")
    finally:
        con.close()
    assert loaded.new == {("A/73/328", "fr"), ("A/77/277", "fr")} and not loaded.reissues
    assert loaded.account.counts == {"gates_passed": 2, "loaded": 2}
    [mail] = compared.to_mail
    assert (mail.diff.old, mail.diff.new, mail.language) == (
        "A/73/328",
        "A/77/277",
        "fr",
    )
    appeared = {e.subject for e in mail.diff.changed_events if e.change == "appeared"}
    assert "OECD" in appeared
    assert compared.account.counts == {"change_events": len(mail.diff.changed_events)}
    assert len(compared.account.diffs) == 1
    assert nothing.to_mail == () and nothing.account.counts == {}
    # Diffed again after a re-derivation with no new side: stored, never mailed.
    assert again.to_mail == ()
    assert again.account.notes == (
        "A/73/328 -> A/77/277 (fr) diffed again after a re-derivation: stored, not mailed",
    )
