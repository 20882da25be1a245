"""The analysts' views, on hand-built editions (exact values) and on the two real editions.

Real-edition values were checked by reading corpus/A-73-328_fr.md (2018) and
corpus/A-77-277_fr.pdf.txt (2022); each test says which paragraphs it read.
"""

from __future__ import annotations

import pytest
from test_warehouse_samples import (
    NEW,
    OLD,
    new_edition,
    old_edition,
    sample_diff,
    sample_reference,
)

from warehouse.db.schema import connect
from warehouse.diff.change_events import EditionDiff
from warehouse.diff.diff_store import store_diff
from warehouse.load.loader import load_document, load_reference, load_report


@pytest.fixture
def samples(tmp_path):
    con = connect(tmp_path / "samples.duckdb")
    load_reference(con, sample_reference())
    load_report(con, old_edition(), run_id="r", sha256="a", source_url=None)
    load_report(con, new_edition(), run_id="r", sha256="b", source_url=None)
    yield con
    con.close()


def _rows(con, sql: str, *parameters) -> list[tuple]:
    return con.execute(sql, list(parameters)).fetchall()


# --- hand-built editions ---------------------------------------------------------------


def test_organizations_by_edition_on_samples(samples) -> None:
    rows = _rows(
        samples,
        "SELECT symbol, year, organization_id, name, section_count, paragraph_count, "
        "share_of_paragraphs, mention_paragraph_count, paragraph_numbers, area_ids "
        "FROM organizations_by_edition ORDER BY year, organization_id",
    )
    assert rows == [
        (OLD, 2018, "AU", "Union africaine", 1, 2, 0.3333, 2, [2, 3], ["peace_security"]),
        (
            OLD,
            2018,
            "CPLP",
            "Communauté des pays de langue portugaise",
            1,
            2,
            0.3333,
            2,
            [4, 5],
            ["health"],
        ),
        (OLD, 2018, "CTBTO", "Commission préparatoire de l'OTICE", 1, 1, 0.1667, 1, [6], []),
        (
            OLD,
            2018,
            "OPCW",
            "Organisation pour l'interdiction des armes chimiques",
            1,
            1,
            0.1667,
            1,
            [6],
            [],
        ),
        (NEW, 2022, "AU", "Union africaine", 1, 3, 0.6, 3, [2, 3, 4], ["health", "peace_security"]),
        (
            NEW,
            2022,
            "OECD",
            "Organisation de coopération et de développement économiques",
            1,
            1,
            0.2,
            1,
            [5],
            [],
        ),
    ]
    words = _rows(
        samples,
        "SELECT word_count, share_of_words FROM organizations_by_edition "
        "WHERE symbol = ? AND organization_id = 'AU'",
        NEW,
    )
    total = sum(p.word_count for p in new_edition().paragraphs)
    au = sum(p.word_count for p in new_edition().paragraphs if p.section_index == 0)
    assert words == [(au, round(au / total, 4))]


def test_areas_by_edition_on_samples(samples) -> None:
    rows = _rows(
        samples,
        "SELECT symbol, area_id, name, paragraph_count, organization_ids, paragraph_numbers, "
        "phrases FROM areas_by_edition ORDER BY symbol, area_id",
    )
    assert rows == [
        (OLD, "health", "Santé", 1, ["CPLP"], [5], ["santé"]),
        (OLD, "peace_security", "Paix et sécurité", 1, ["AU"], [2], ["paix"]),
        (NEW, "health", "Santé", 1, ["AU"], [4], ["santé"]),
        (NEW, "peace_security", "Paix et sécurité", 1, ["AU"], [3], ["paix", "sécurité"]),
    ]


def test_organization_trajectory_on_samples(samples) -> None:
    from warehouse.diff.edition_diff import diff_editions

    # No stored diff of the two latest editions: the trend waits for it.
    assert set(_rows(samples, "SELECT DISTINCT trend FROM organization_trajectory")) == {(None,)}
    store_diff(samples, diff_editions(old_edition(), new_edition()), run_id="r")
    rows = _rows(
        samples,
        "SELECT organization_id, first_seen_symbol, last_seen_symbol, edition_count, "
        "peak_symbol, peak_paragraph_count, latest_paragraph_count, prior_paragraph_count, trend "
        "FROM organization_trajectory ORDER BY organization_id",
    )
    assert rows == [
        ("AU", OLD, NEW, 2, NEW, 3, 3, 2, "grew"),
        ("CPLP", OLD, OLD, 1, OLD, 2, None, 2, "vanished"),
        ("CTBTO", OLD, OLD, 1, OLD, 1, None, 1, "vanished"),
        ("OECD", NEW, NEW, 1, NEW, 1, 1, None, "appeared"),
        ("OPCW", OLD, OLD, 1, OLD, 1, None, 1, "vanished"),
    ]
    (editions,) = _rows(
        samples, "SELECT editions FROM organization_trajectory WHERE organization_id = 'AU'"
    )[0]
    assert [(e["symbol"], e["paragraph_count"]) for e in editions] == [(OLD, 2), (NEW, 3)]


def test_trajectory_with_one_edition_says_so(tmp_path) -> None:
    con = connect(tmp_path / "one.duckdb")
    load_report(con, old_edition(), run_id="r", sha256="a", source_url=None)
    assert set(_rows(con, "SELECT DISTINCT trend FROM organization_trajectory")) == {
        ("single_edition",)
    }


def test_partnerships_by_edition_on_samples(samples) -> None:
    rows = _rows(
        samples,
        "SELECT symbol, organization_id, un_entity_id, un_entity_name, paragraph_count, "
        "paragraph_numbers FROM partnerships_by_edition ORDER BY symbol, 2, 3",
    )
    undp = "Programme des Nations Unies pour le développement"
    dppa = "Département des affaires politiques et de la consolidation de la paix"
    assert rows == [
        (OLD, "AU", "DPPA", dppa, 1, [2]),
        (OLD, "AU", "UNDP", undp, 1, [3]),
        (OLD, "CPLP", "UNDP", undp, 1, [5]),
        (NEW, "AU", "DPPA", dppa, 1, [2]),
        (NEW, "AU", "UNDP", undp, 1, [4]),
        (NEW, "OECD", "UNDP", undp, 1, [5]),
    ]


def test_citation_graph_on_samples(samples) -> None:
    load_document(
        samples,
        symbol="A/RES/71/17",
        language="fr",
        kind="resolution",
        sha256="r",
        parser_version="resolution-1.0",
        run_id="r",
        title="Coopération entre l'ONU et l'OIF",
        cites=(OLD,),
    )
    rows = _rows(
        samples,
        "SELECT citing_symbol, citing_year, citing_kind, cited_symbol, paragraph_count, "
        "paragraph_numbers, resolved_symbol, cited_kind, cited_title, is_edition "
        "FROM citation_graph ORDER BY citing_symbol, cited_symbol",
    )
    assert rows == [
        (OLD, 2018, "report", "A/71/160", 0, [], None, None, None, True),
        (
            OLD,
            2018,
            "report",
            "A/RES/71/17",
            1,
            [1],
            "A/RES/71/17",
            "resolution",
            "Coopération entre l'ONU et l'OIF",
            False,
        ),
        (OLD, 2018, "report", "S/RES/2378(2017)", 1, [2], None, None, None, False),
        (NEW, 2022, "report", "A/75/345", 1, [1], None, None, None, True),
        ("A/RES/71/17", None, "resolution", OLD, 0, [], OLD, "report", old_edition().title, True),
    ]


def test_latest_change_events_on_samples(samples) -> None:
    store_diff(samples, sample_diff(), run_id="r")
    store_diff(samples, EditionDiff("A/71/160", OLD, sample_diff().events), run_id="r2")
    rows = _rows(
        samples,
        "SELECT old_symbol, new_symbol, old_year, new_year, subject, change, evidence_old, "
        "evidence_new, is_uncertain, is_reissue FROM latest_change_events ORDER BY event_index",
    )
    assert rows == [
        (OLD, NEW, 2018, 2022, "AU", "grew", [2, 3], [2, 3, 4], False, False),
        (OLD, NEW, 2018, 2022, "CPLP", "vanished", [4, 5], [], True, False),
        (OLD, NEW, 2018, 2022, "OECD", "appeared", [], [5], False, False),
        (OLD, NEW, 2018, 2022, "A/75/345", "added", [], [1], False, True),
    ]


# --- the two real editions -------------------------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory, report_2018, report_2022):
    from extractors.enrich.enrich_report import enrich_report
    from extractors.enrich.reference_data import load_reference as reference_data
    from warehouse.diff.edition_diff import diff_editions

    reference = reference_data()
    old, new = enrich_report(report_2018, reference), enrich_report(report_2022, reference)
    con = connect(tmp_path_factory.mktemp("real") / "real.duckdb")
    load_reference(con, reference)
    load_report(con, old, run_id="real", sha256="2018", source_url=None)
    load_report(con, new, run_id="real", sha256="2022", source_url=None)
    store_diff(con, diff_editions(old, new), run_id="real")
    yield con
    con.close()


def _section(con, symbol: str, organization: str) -> tuple:
    rows = _rows(
        con,
        "SELECT section_count, paragraph_count, paragraph_numbers, mention_paragraph_count > 0 "
        "FROM organizations_by_edition WHERE symbol = ? AND organization_id = ?",
        symbol,
        organization,
    )
    return rows[0] if rows else None


def test_organizations_by_edition_on_real_editions(real) -> None:
    # 2018: "Union africaine" heads paragraphs 4-13; 2022: paragraphs 5-32.
    assert _section(real, OLD, "AU") == (1, 10, list(range(4, 14)), True)
    assert _section(real, NEW, "AU") == (1, 28, list(range(5, 33)), True)
    # 2018 only: CPLP 36-39, IOM 56-57, chapter III on OPCW and the CTBTO Commission 95-96.
    assert _section(real, OLD, "CPLP") == (1, 4, [36, 37, 38, 39], True)
    assert _section(real, NEW, "CPLP") is None
    assert _section(real, OLD, "IOM") == (1, 2, [56, 57], True)
    assert _section(real, OLD, "OPCW") == (1, 2, [95, 96], True)
    assert _section(real, OLD, "CTBTO") == (1, 2, [95, 96], True)
    # 2022: IOM and OPCW lose their sections but are still named.
    assert _section(real, NEW, "IOM") == (0, 0, [], True)
    assert _section(real, NEW, "OPCW") == (0, 0, [], True)
    # 2022 only: OECD, paragraphs 101-105.
    assert _section(real, NEW, "OECD") == (1, 5, [101, 102, 103, 104, 105], True)
    assert _section(real, OLD, "OECD") is None
    shares = _rows(
        real,
        "SELECT symbol, share_of_paragraphs FROM organizations_by_edition "
        "WHERE organization_id = 'AU' ORDER BY year",
    )
    assert shares == [(OLD, round(10 / 101, 4)), (NEW, round(28 / 128, 4))]


def test_areas_by_edition_on_real_editions(real) -> None:
    # 2018: "santé" appears only in paragraph 12 (AU section: sexual and reproductive health).
    health = _rows(
        real,
        "SELECT paragraph_count, paragraph_numbers, organization_ids "
        "FROM areas_by_edition WHERE symbol = ? AND area_id = 'health'",
        OLD,
    )
    assert health == [(1, [12], ["AU"])]
    consistent = _rows(
        real,
        "SELECT a.symbol, a.area_id FROM areas_by_edition a WHERE a.paragraph_count <> "
        "(SELECT count(DISTINCT paragraph_number) FROM paragraph_areas p "
        " WHERE p.symbol = a.symbol AND p.area_id = a.area_id)",
    )
    assert consistent == []


def test_organization_trajectory_on_real_editions(real) -> None:
    rows = dict(
        (row[0], row[1:])
        for row in _rows(
            real,
            "SELECT organization_id, first_seen_symbol, last_seen_symbol, peak_symbol, "
            "latest_paragraph_count, prior_paragraph_count, trend FROM organization_trajectory "
            "WHERE organization_id IN ('AU', 'CPLP', 'OECD', 'IOM')",
        )
    )
    assert rows == {
        "AU": (OLD, NEW, NEW, 28, 10, "grew"),
        "CPLP": (OLD, OLD, OLD, None, 4, "vanished"),
        "OECD": (NEW, NEW, NEW, 5, None, "appeared"),
        "IOM": (OLD, NEW, OLD, 0, 2, "vanished"),
    }
    # The trend is the stored diff's word: LAS 9 -> 10, OIC and OIF 5 -> 4 paragraphs are
    # unchanged by the growth rule in change_events, and say so here too.
    trends = dict(
        _rows(
            real,
            "SELECT organization_id, trend_detail FROM organization_trajectory "
            "WHERE organization_id IN ('LAS', 'OIC', 'OIF', 'OPCW', 'CTBTO')",
        )
    )
    assert trends == {
        "LAS": "unchanged: more paragraphs, within the rule",
        "OIC": "unchanged: fewer paragraphs, within the rule",
        "OIF": "unchanged: fewer paragraphs, within the rule",
        "OPCW": "section vanished, still named",
        "CTBTO": "section vanished, still named",
    }
    disagreeing = _rows(
        real,
        "SELECT t.organization_id FROM organization_trajectory t JOIN change_events c "
        "ON c.kind = 'organization' AND list_contains(c.organization_ids, t.organization_id) "
        "AND c.change <> 'renamed' WHERE t.trend <> c.family",
    )
    assert disagreeing == []


def test_partnerships_by_edition_on_real_editions(real) -> None:
    # 2018 paragraph 7: UNDP (PNUD) supports AU initiatives; 8: UN-Women (ONU-Femmes) and the
    # AU Commission; 9 and 10: ECA (CEA) with the AU.
    rows = _rows(
        real,
        "SELECT un_entity_id, paragraph_numbers FROM partnerships_by_edition "
        "WHERE symbol = ? AND organization_id = 'AU' AND un_entity_id IN ('UNDP', 'UN-Women', "
        "'ECA') ORDER BY 1",
        OLD,
    )
    assert rows == [("ECA", [9, 10]), ("UN-Women", [8]), ("UNDP", [7])]


def test_citation_graph_on_real_editions(real) -> None:
    # 2018 paragraph 2: Security Council resolution 1809 (2008); paragraph 3 cites the
    # previous edition A/71/160-S/2016/621. The 2022 edition cites A/75/345 as its previous,
    # and resolution 1809 (2008) in its summary (front matter: no paragraph number).
    rows = _rows(
        real,
        "SELECT citing_symbol, cited_symbol, paragraph_numbers, is_edition FROM citation_graph "
        "WHERE cited_symbol IN ('S/RES/1809(2008)', 'A/71/160', 'A/75/345') ORDER BY 1, 2",
    )
    assert rows == [
        (OLD, "A/71/160", [3], True),
        (OLD, "S/RES/1809(2008)", [2], False),
        (NEW, "A/75/345", [], True),
        (NEW, "S/RES/1809(2008)", [], False),
    ]


def test_latest_change_events_on_real_editions(real) -> None:
    rows = {
        (row[0], row[1]): row[2:]
        for row in _rows(
            real,
            "SELECT subject, change, old_year, new_year, evidence_old, evidence_new "
            "FROM latest_change_events WHERE kind = 'organization'",
        )
    }
    assert rows[("OECD", "appeared")] == (2018, 2022, [], [101, 102, 103, 104, 105])
    assert rows[("CPLP", "vanished")] == (2018, 2022, [36, 37, 38, 39], [])
    assert ("AU", "grew") in rows
    assert not any(change == "unchanged" for _, change in rows)
