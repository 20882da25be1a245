"""Golden row counts (PUDL's habit): the bundled run's rows per table and edition, kept in
tests/golden/row_counts.csv and rewritten on purpose with `make golden`, so a change in what
is loaded shows in review as a diff of that file.

Cross-checked by reading: 101 and 128 numbered paragraphs in corpus/A-73-328_fr.md and
corpus/A-77-277_fr.pdf.txt (the last `^<n>\\. ` of each), 25 and 23 organization sections
(tests/test_diff_golden.py's SECTIONS_2018, where OPCW and the CTBTO share chapter III, and
SECTIONS_2022), one edition pair diffed and one digest queued for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.nightly import nightly
from warehouse.db.row_counts import RowCount, counts_csv, read_counts_csv, row_counts
from warehouse.db.schema import connect

GOLDEN = Path(__file__).resolve().parent / "golden" / "row_counts.csv"


def differing(expected: list[RowCount], actual: list[RowCount]) -> list[str]:
    """The (table, edition) keys whose counts differ, one readable line each."""
    want = {(c.table, c.edition): c.rows for c in expected}
    got = {(c.table, c.edition): c.rows for c in actual}
    return [
        f"{table} [{edition or 'all'}]: golden {want.get((table, edition), '-')}, "
        f"run {got.get((table, edition), '-')}"
        for table, edition in sorted(want.keys() | got.keys())
        if want.get((table, edition)) != got.get((table, edition))
    ]


@pytest.fixture(scope="module")
def bundled_counts(tmp_path_factory, prefect_harness, monkeypatch_module) -> list[RowCount]:
    tmp_path = tmp_path_factory.mktemp("golden")
    nightly(
        source="bundled",
        db_path=str(tmp_path / "cw.duckdb"),
        outbox_dir=str(tmp_path / "outbox"),
        reports_dir=str(tmp_path / "reports"),
    )
    con = connect(tmp_path / "cw.duckdb", read_only=True)
    try:
        return row_counts(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def monkeypatch_module():
    """The bundled run as `make golden` runs it: no settings files from the environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("COOPWATCH_SUBSCRIPTIONS", "COOPWATCH_CALENDAR", "COOPWATCH_CORPUS"):
            patch.delenv(name, raising=False)
        yield patch


def test_bundled_run_row_counts_match_the_golden_file(bundled_counts) -> None:
    expected = read_counts_csv(GOLDEN.read_text(encoding="utf-8"))
    problems = differing(expected, bundled_counts)
    assert not problems, "row counts differ (`make golden` rewrites the file):\n" + "\n".join(
        problems
    )


def test_golden_file_is_what_make_golden_writes(bundled_counts) -> None:
    # Same rows in the same order and shape, so `make golden` on an unchanged tree is no diff.
    assert GOLDEN.read_text(encoding="utf-8") == counts_csv(bundled_counts)


def test_differing_names_each_changed_row() -> None:
    golden = [RowCount("paragraphs", "A/73/328", 101), RowCount("runs", "", 1)]
    run = [RowCount("paragraphs", "A/73/328", 100), RowCount("sections", "A/73/328", 25)]
    assert differing(golden, run) == [
        "paragraphs [A/73/328]: golden 101, run 100",
        "runs [all]: golden 1, run -",
        "sections [A/73/328]: golden -, run 25",
    ]


def test_row_counts_group_by_edition_and_pair(tmp_path: Path) -> None:
    con = connect(tmp_path / "cw.duckdb")
    try:
        con.execute(
            "INSERT INTO edition_diffs VALUES ('A/1', 'A/2', false, [], 0, 0, 'run-1', now())"
        )
        counts = row_counts(con)
    finally:
        con.close()
    assert RowCount("edition_diffs", "A/1 -> A/2", 1) in counts
    assert not [c for c in counts if c.table in ("schema_migrations", "schema_state")]
    assert read_counts_csv(counts_csv(counts)) == counts
