"""Loading documents, reference data, diffs and fetches: idempotent, incremental, order-free."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from test_warehouse_samples import (
    NEW,
    OLD,
    new_edition,
    old_edition,
    reissued,
    sample_diff,
    sample_reference,
    table_contents,
)

from common.errors import UnknownEdition, UnloadableDocument
from extractors.model import Paragraph
from warehouse.db.schema import connect
from warehouse.diff.diff_store import store_diff, store_diffs
from warehouse.load.loader import load_document, load_reference, load_report, record_fetch
from warehouse.load.read_back import (
    EditionRow,
    document_state,
    list_editions,
    read_diff,
    read_report,
)
from warehouse.load.report_rows import edition_session, edition_year


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "coopwatch.duckdb")
    yield connection
    connection.close()


def _load(con, report, sha256="sha-a", run_id="run-1"):
    return load_report(con, report, run_id=run_id, sha256=sha256, source_url="https://x/y.pdf")


def test_read_report_gives_back_the_loaded_report(con) -> None:
    for report in (old_edition(), new_edition()):
        assert _load(con, report) is True
        assert read_report(con, report.symbol, "fr") == report


def test_read_report_of_a_document_not_loaded_is_refused(con) -> None:
    with pytest.raises(UnknownEdition, match="A/73/328"):
        read_report(con, OLD, "fr")


def test_second_load_of_same_content_changes_nothing(con) -> None:
    load_reference(con, sample_reference())
    _load(con, old_edition())
    before = table_contents(con)
    assert _load(con, old_edition(), run_id="run-2") is False
    load_reference(con, sample_reference())
    assert table_contents(con) == before


def test_loading_in_either_order_gives_the_same_content(tmp_path) -> None:
    contents = []
    for name, order in (
        ("forward", (old_edition, new_edition)),
        ("back", (new_edition, old_edition)),
    ):
        con = connect(tmp_path / f"{name}.duckdb")
        load_reference(con, sample_reference())
        for build in order:
            _load(con, build(), sha256=build().symbol)
        load_document(
            con,
            symbol="A/RES/71/17",
            language="fr",
            kind="resolution",
            sha256="r",
            parser_version="resolution-1.0",
            run_id="run-1",
            title="Coopération",
            document_date="2016-11-22",
            cites=(OLD,),
        )
        contents.append(table_contents(con))
        con.close()
    assert contents[0] == contents[1]


def test_new_parser_version_rederives_rows_without_a_reissue(con) -> None:
    _load(con, old_edition())
    assert _load(con, old_edition(parser_version="report-1.1"), run_id="run-2") is True
    assert document_state(con, OLD, "fr") == ("sha-a", "report-1.1")
    versions = con.execute(
        "SELECT DISTINCT parser_version, run_id FROM paragraphs WHERE symbol = ?", [OLD]
    ).fetchall()
    assert versions == [("report-1.1", "run-2")]
    assert con.execute("SELECT count(*) FROM reissues").fetchall() == [(0,)]
    assert read_report(con, OLD) == old_edition(parser_version="report-1.1")


def test_every_derived_row_carries_run_and_parser_version(con) -> None:
    _load(con, old_edition(), run_id="run-7")
    for table in (
        "chapters",
        "sections",
        "paragraphs",
        "paragraph_organizations",
        "paragraph_un_entities",
        "paragraph_areas",
        "citations",
    ):
        stamps = con.execute(f"SELECT DISTINCT run_id, parser_version FROM {table}").fetchall()
        assert stamps == [("run-7", "report-1.0")], table


def test_new_bytes_with_same_content_is_a_reissue_without_content_change(con) -> None:
    _load(con, old_edition(), sha256="sha-a")
    _load(con, old_edition(), sha256="sha-b", run_id="run-2")
    _load(
        con, reissued(old_edition(), "Texte corrigé du paragraphe."), sha256="sha-c", run_id="run-3"
    )
    rows = con.execute(
        "SELECT old_sha256, new_sha256, content_changed, run_id FROM reissues ORDER BY run_id"
    ).fetchall()
    assert rows == [("sha-a", "sha-b", False, "run-2"), ("sha-b", "sha-c", True, "run-3")]
    assert read_report(con, OLD).paragraphs[-1].text == "Texte corrigé du paragraphe."
    assert con.execute("SELECT count(*) FROM paragraphs").fetchall() == [(6,)]


def test_parse_ledger_records_blocks_placed_and_dropped(con) -> None:
    _load(con, old_edition())
    row = con.execute(
        "SELECT blocks_in, placed, dropped_count, dropped_reasons, warnings FROM parses"
    ).fetchall()
    assert [(*r[:3], json.loads(r[3]), r[4]) for r in row] == [
        (9, 7, 2, {"job number": 1, "running header": 1}, ["numbering gap after 6"])
    ]


def test_repeated_paragraph_number_is_refused_naming_the_document(con) -> None:
    report = old_edition()
    twice = replace(report, paragraphs=(*report.paragraphs, Paragraph(2, "Double.", None)))
    with pytest.raises(
        UnloadableDocument, match=r"A/73/328 \(fr\): 1 paragraph number\(s\) repeated: 2$"
    ):
        _load(con, twice)
    assert con.execute("SELECT count(*) FROM documents").fetchall() == [(0,)]


def test_failed_load_rolls_back_the_whole_document(con) -> None:
    _load(con, old_edition())
    bad = replace(old_edition(parser_version="report-2.0"), date="17 août 2018")
    with pytest.raises(UnloadableDocument, match="not an ISO date"):
        _load(con, bad)
    assert read_report(con, OLD) == old_edition()


def test_editions_get_year_session_and_previous_edition(con) -> None:
    _load(con, new_edition())
    _load(con, old_edition())
    assert list_editions(con, "fr") == [
        EditionRow(OLD, (OLD, "S/2018/592"), 2018, "A/71/160"),
        EditionRow(NEW, (NEW, "S/2022/606"), 2022, "A/75/345"),
    ]
    assert list_editions(con, "en") == []
    sessions = con.execute("SELECT symbol, session, date FROM editions ORDER BY symbol").fetchall()
    assert [(s, n, str(d) if d else None) for s, n, d in sessions] == [
        (OLD, 73, "2018-08-17"),
        (NEW, 77, None),
    ]


@pytest.mark.parametrize(
    ("symbols", "issued", "year", "session"),
    [
        (("A/73/328", "S/2018/592"), "2018-08-17", 2018, 73),
        (("A/77/277", "S/2022/606"), None, 2022, 77),
        (("A/71/160",), None, 2016, 71),
        (("S/2020/898",), None, 2020, None),
        (("E/2020/1",), None, None, None),
    ],
)
def test_edition_year_from_date_then_council_symbol_then_session(symbols, issued, year, session):
    assert edition_year(symbols, issued) == year
    assert edition_session(symbols) == session


def test_citations_resolve_whatever_the_load_order(con) -> None:
    _load(con, old_edition())
    load_document(
        con,
        symbol="A/RES/71/17",
        language="en",
        kind="resolution",
        sha256="r1",
        parser_version="resolution-1.0",
        run_id="run-1",
        title="Cooperation",
        cites=("A/71/160",),
    )
    _load(con, new_edition())
    resolved = con.execute(
        "SELECT symbol, paragraph_number, cited_symbol, resolved_symbol FROM citations "
        "WHERE resolved_symbol IS NOT NULL ORDER BY ALL"
    ).fetchall()
    assert resolved == [
        (OLD, 1, "A/RES/71/17", "A/RES/71/17"),
        (OLD, None, "A/RES/71/17", "A/RES/71/17"),
    ]


def test_load_document_is_idempotent(con) -> None:
    arguments = dict(
        symbol="S/RES/2378(2017)",
        language="fr",
        kind="resolution",
        sha256="s",
        parser_version="resolution-1.0",
        run_id="run-1",
    )
    assert load_document(con, **arguments) is True
    assert load_document(con, **arguments) is False
    assert con.execute("SELECT symbols FROM documents").fetchall() == [(["S/RES/2378(2017)"],)]


def test_reference_load_replaces_the_snapshot(con) -> None:
    reference = sample_reference()
    load_reference(con, reference)
    load_reference(con, replace(reference, organizations=reference.organizations[:2]))
    assert con.execute("SELECT organization_id FROM organizations ORDER BY 1").fetchall() == [
        ("AU",),
        ("CPLP",),
    ]
    triggers = con.execute(
        "SELECT area_id, language, position, phrase FROM area_triggers ORDER BY ALL"
    ).fetchall()
    assert triggers == [
        ("health", "en", 0, "health"),
        ("health", "fr", 0, "santé"),
        ("peace_security", "en", 0, "peace"),
        ("peace_security", "en", 1, "security"),
        ("peace_security", "fr", 0, "paix"),
        ("peace_security", "fr", 1, "sécurité"),
    ]
    aliases = con.execute("SELECT * FROM organization_aliases ORDER BY ALL").fetchall()
    assert aliases == [
        ("AU", "AU", "en", True),
        ("AU", "UA", "fr", True),
        ("OECD", "OCDE", "fr", True),
    ]


def test_store_diff_round_trips_and_replaces_the_pair(con) -> None:
    diff = sample_diff()
    store_diff(con, diff, run_id="run-1")
    assert read_diff(con, OLD, NEW) == diff
    shorter = replace(diff, events=diff.events[:1], redlines=(), uncertain=True)
    store_diff(con, shorter, run_id="run-2")
    assert read_diff(con, OLD, NEW) == shorter
    assert con.execute("SELECT count(*), min(run_id) FROM change_events").fetchall() == [
        (1, "run-2")
    ]
    assert read_diff(con, NEW, OLD) is None


def test_stored_events_are_judged_only_for_areas_and_partnerships(con) -> None:
    diff = sample_diff()
    store_diff(con, diff, run_id="run-1")
    judged = con.execute(
        "SELECT kind, bool_and(is_material IS NOT NULL AND score IS NOT NULL), "
        "bool_and(area_level IS NOT NULL) FROM change_events GROUP BY kind ORDER BY kind"
    ).fetchall()
    expected_levels = {"area": True, "organization_area": True}
    for kind, has_judgement, has_level in judged:
        assert has_judgement == (kind in ("area", "organization_area", "partnership")), kind
        assert has_level == expected_levels.get(kind, False), kind
    material = con.execute("SELECT count(*) FROM change_events WHERE is_material").fetchone()
    assert material == (sum(1 for e in diff.events if e.material),)


def test_many_diffs_store_as_each_alone_and_a_repeated_pair_keeps_the_last(tmp_path) -> None:
    diff = sample_diff()
    other = replace(diff, old="A/71/160", new=OLD, events=diff.events[2:], redlines=())
    shorter = replace(diff, events=diff.events[:1], uncertain=True)
    alone = connect(tmp_path / "alone.duckdb")
    for each in (other, shorter):
        store_diff(alone, each, run_id="run-1")
    together = connect(tmp_path / "together.duckdb")
    store_diffs(together, [diff, other], run_id="run-0")
    store_diffs(together, [other, diff, shorter], run_id="run-1")
    assert table_contents(together) == table_contents(alone)
    assert read_diff(together, OLD, NEW) == shorter
    assert read_diff(together, "A/71/160", OLD) == other


def test_change_event_evidence_is_stored_as_integer_lists(con) -> None:
    store_diff(con, sample_diff(), run_id="run-1")
    row = con.execute(
        "SELECT typeof(evidence_new), evidence_new FROM change_events WHERE subject = 'AU'"
    ).fetchall()
    assert row == [("INTEGER[]", [2, 3, 4])]


def test_record_fetch_appends_a_row_per_fetch(con) -> None:
    for status, outcome in ((503, "failed"), (200, "stored")):
        record_fetch(
            con,
            run_id="run-1",
            symbol=NEW,
            language="fr",
            url="http://127.0.0.1:9/api/symbol/access?s=A/77/277&l=fr&t=pdf",
            final_url="http://127.0.0.1:9/x.pdf",
            status=status,
            bytes=1234,
            sha256="abc",
            etag='"e1"',
            last_modified="Tue, 09 Aug 2022 10:00:00 GMT",
            outcome=outcome,
            error=None if status == 200 else "503 Service Unavailable",
        )
    rows = con.execute("SELECT fetch_id, status, outcome, error FROM fetches ORDER BY 1").fetchall()
    assert rows == [(1, 503, "failed", "503 Service Unavailable"), (2, 200, "stored", None)]


class _CountingConnection:
    """Wraps a connection and counts the statements sent, to prove loads are not row by row."""

    def __init__(self, con) -> None:
        self.con = con
        self.statements = 0

    def execute(self, *args):
        self.statements += 1
        return self.con.execute(*args)


def _with_paragraphs(count: int):
    report = old_edition()
    base = report.paragraphs[1]
    paragraphs = tuple(
        replace(base, number=n, text=f"Paragraphe {n}.") for n in range(1, count + 1)
    )
    return replace(report, paragraphs=paragraphs)


def test_statements_per_load_do_not_grow_with_the_paragraphs(tmp_path) -> None:
    counts = []
    for size in (3, 300):
        con = connect(tmp_path / f"{size}.duckdb")
        counting = _CountingConnection(con)
        load_report(counting, _with_paragraphs(size), run_id="r", sha256="s", source_url=None)
        counts.append(counting.statements)
        assert con.execute("SELECT count(*) FROM paragraph_areas").fetchall() == [(size,)]
        con.close()
    assert counts[0] == counts[1]


# --- the two real editions -------------------------------------------------------------


@pytest.fixture(scope="module")
def real_editions(report_2018, report_2022):
    from extractors.enrich.enrich_report import enrich_report
    from extractors.enrich.reference_data import load_reference as reference_data

    reference = reference_data()
    return (
        reference,
        enrich_report(report_2018, reference),
        enrich_report(report_2022, reference),
    )


def test_real_editions_read_back_equal_to_what_was_loaded(tmp_path, real_editions) -> None:
    reference, old, new = real_editions
    con = connect(tmp_path / "real.duckdb")
    load_reference(con, reference)
    for report in (old, new):
        assert _load(con, report, sha256=report.symbol) is True
    assert read_report(con, old.symbol, "fr") == old
    assert read_report(con, new.symbol, "fr") == new
    assert [row.symbol for row in list_editions(con)] == ["A/73/328", "A/77/277"]


def test_real_editions_load_order_and_second_load_change_nothing(tmp_path, real_editions):
    reference, old, new = real_editions
    contents = []
    for name, order in (("forward", (old, new)), ("back", (new, old))):
        con = connect(tmp_path / f"{name}.duckdb")
        load_reference(con, reference)
        for report in order:
            _load(con, report, sha256=report.symbol)
        first = table_contents(con)
        for report in order:
            assert _load(con, report, sha256=report.symbol, run_id="run-2") is False
        load_reference(con, reference)
        assert table_contents(con) == first
        contents.append(first)
        con.close()
    assert contents[0] == contents[1]
    counts = {table: len(rows) for table, rows in contents[0].items()}
    assert counts["paragraphs"] == 101 + 128
    assert counts["documents"] == 2
