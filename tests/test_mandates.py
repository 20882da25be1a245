"""Mandates: the cooperation resolutions behind each edition, loaded by `coopwatch ingest`
beside the two bundled editions, and the `mandates` and `mandate_coverage` rows they give.

The resolutions are tests/mandate_fixtures.py (AKN XML and an ODS-like French PDF); the
expected rows are read off them and off the editions: the 2018 and 2022 editions both have
a four-paragraph CSTO section, the 2022 edition a three-paragraph SCO section, no CPLP
section (2018 had one) and a 28-paragraph AU section (¶ 5-32).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractors.resolution.mandate import read_mandate, requested_session, session_number
from extractors.resolution.resolution_parser import parse_resolution_bytes
from flows.cli import app
from tests.conftest import EDITION_2018, EDITION_2022, SYMBOL_2018
from tests.mandate_fixtures import FIXTURES, UNKNOWN_75
from tests.test_resolution import REAL_FOLDER

runner = CliRunner()


def ingest_all(db: Path, folder: Path) -> list[str]:
    """Ingest both bundled editions, then every fixture resolution; the outputs, in order."""
    outputs = []
    for arguments in (
        [str(EDITION_2018), "--symbol", SYMBOL_2018],
        [str(EDITION_2022)],
        *([str(folder / name)] for name in sorted(FIXTURES)),
    ):
        result = runner.invoke(app, ["ingest", *arguments, "--db", str(db)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    return outputs


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("mandates")
    for name, data in FIXTURES.items():
        (folder / name).write_bytes(data)
    db = folder / "cw.duckdb"
    return db, ingest_all(db, folder)


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_mandates_rows_are_exact(warehouse: tuple[Path, list[str]]) -> None:
    db, _ = warehouse
    assert rows(
        db,
        "SELECT * EXCLUDE (organization_name_en, organization_name_fr) FROM mandates "
        "ORDER BY resolution_symbol",
    ) == [
        # CSTO: cites the loaded 2018 edition (4 paragraphs), asks for the 75th session;
        # the first loaded edition from then on is the 2022 one, CSTO section 4 paragraphs.
        ("A/RES/73/20", datetime.date(2018, 11, 26), "CSTO", "A/73/328", 4, 75, "A/77/277", 4),
        # CPLP: cites A/75/345 (not loaded), asks for the 77th: mandated, not reported.
        ("A/RES/75/31", datetime.date(2020, 12, 3), "CPLP", "A/75/345", None, 77, "A/77/277", 0),
        # An organization CoopWatch does not know: kept, organization NULL.
        ("A/RES/75/40", datetime.date(2020, 12, 3), None, "A/75/345", None, 77, "A/77/277", None),
        # SCO: its footnote cites A/75/99, no edition: a citation, not the cited edition.
        ("A/RES/75/52", datetime.date(2020, 12, 7), "SCO", None, None, 77, "A/77/277", 3),
    ]
    assert rows(
        db,
        "SELECT DISTINCT organization_id, organization_name_en FROM mandates "
        "WHERE organization_id = 'CSTO'",
    ) == [("CSTO", "Collective Security Treaty Organization")]


def test_mandate_coverage_of_the_new_edition(warehouse: tuple[Path, list[str]]) -> None:
    db, _ = warehouse
    coverage = rows(
        db,
        "SELECT organization_id, status, resolution_symbol, request_paragraph, "
        "section_paragraph_count, paragraph_numbers FROM mandate_coverage "
        "WHERE edition_symbol = 'A/77/277' ORDER BY status, organization_id",
    )
    mandated = [row for row in coverage if row[1] == "mandated, not reported"]
    assert mandated == [("CPLP", "mandated, not reported", "A/RES/75/31", 4, 0, [])]
    unmandated = {row[0]: row for row in coverage if row[1] != "mandated, not reported"}
    assert unmandated["AU"] == (
        "AU",
        "reported without a current mandate",
        None,
        None,
        28,
        list(range(5, 33)),
    )
    # Every organization with a section in 2022 but CSTO and SCO (whose resolutions it
    # answers) is reported without a current mandate.
    sections = rows(
        db,
        "SELECT DISTINCT organization_id FROM organizations_by_edition "
        "WHERE symbol = 'A/77/277' AND section_count > 0",
    )
    assert set(unmandated) == {org for (org,) in sections} - {"CSTO", "SCO"}


def test_resolution_tables_hold_paragraphs_and_the_request(
    warehouse: tuple[Path, list[str]],
) -> None:
    db, _ = warehouse
    assert rows(
        db,
        "SELECT symbol, language, organ, session, year, meeting, is_cooperation, "
        "cites_edition, requested_session, request_paragraph FROM resolutions ORDER BY symbol",
    ) == [
        ("A/RES/73/20", "en", "General Assembly", 73, 2018, 45, True, "A/73/328", 75, 6),
        ("A/RES/75/31", "fr", "General Assembly", 75, 2020, 38, True, "A/75/345", 77, 4),
        ("A/RES/75/40", "en", "General Assembly", 75, 2020, 38, True, "A/75/345", 77, 6),
        ("A/RES/75/52", "en", "General Assembly", 75, 2020, 41, True, None, 77, 6),
    ]
    assert rows(
        db,
        "SELECT kind, count(*), list(number ORDER BY position) FROM resolution_paragraphs "
        "WHERE symbol = 'A/RES/75/31' GROUP BY kind ORDER BY kind",
    ) == [("operative", 4, [1, 2, 3, 4]), ("preambular", 2, [None, None])]
    (request,) = rows(
        db,
        "SELECT text FROM resolution_paragraphs WHERE symbol = 'A/RES/75/31' "
        "AND kind = 'operative' AND number = 4",
    )
    assert request[0].startswith("Prie le Secrétaire général de lui présenter à sa soixante")
    # The SCO footnote stays a citation.
    assert rows(db, "SELECT cited_symbol FROM citations WHERE symbol = 'A/RES/75/52'") == [
        ("A/75/99",)
    ]


def test_unknown_organization_is_a_warning_naming_it(warehouse: tuple[Path, list[str]]) -> None:
    db, outputs = warehouse
    expected = (
        "A/RES/75/40 (en): the title “Cooperation between the United Nations and the "
        "Organization of Atlantic Island States” names no known organization; kept with "
        "organization_id NULL"
    )
    assert f"warning: {expected}" in outputs[2 + sorted(FIXTURES).index("A-RES-75-40_en.xml")]
    assert rows(db, "SELECT warnings FROM resolutions WHERE symbol = 'A/RES/75/40'") == [
        ([expected],)
    ]
    assert rows(
        db, "SELECT count(*) FROM resolution_organizations WHERE symbol = 'A/RES/75/40'"
    ) == [(0,)]


def test_a_non_cooperation_resolution_is_no_mandate() -> None:
    resolution = parse_resolution_bytes(
        UNKNOWN_75.replace(b"Cooperation between", b"Day of"),
        name="x.xml",
        symbol=None,
        language=None,
    )
    mandate = read_mandate(resolution, symbol=resolution.symbol, language="en")
    assert not mandate.is_cooperation and mandate.warnings == ()


_UNITS_EN = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TENS_EN = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNITS_FR = [
    "unième",
    "deuxième",
    "troisième",
    "quatrième",
    "cinquième",
    "sixième",
    "septième",
    "huitième",
    "neuvième",
]
_TEENS_FR = [
    "dixième",
    "onzième",
    "douzième",
    "treizième",
    "quatorzième",
    "quinzième",
    "seizième",
    "dix-septième",
    "dix-huitième",
    "dix-neuvième",
]


def english_ordinal(number: int) -> str:
    """20-99 in English ordinal words, written by the rule, not by the parser's table."""
    tens, units = divmod(number, 10)
    if units == 0:
        return _TENS_EN[tens - 2][:-1] + "ieth"
    return f"{_TENS_EN[tens - 2]}-{_UNITS_EN[units - 1]}"


def french_ordinal(number: int) -> str:
    """60-99 in French ordinal words (soixante-dix-neuvième, quatre-vingt-unième, ...)."""
    base, rest = ("soixante", number - 60) if number < 80 else ("quatre-vingt", number - 80)
    if rest == 0:
        return "soixantième" if base == "soixante" else "quatre-vingtième"
    if rest == 1 and base == "soixante":
        return "soixante et unième"
    if rest == 11 and base == "soixante":
        return "soixante et onzième"
    word = _UNITS_FR[rest - 1] if rest < 10 else _TEENS_FR[rest - 10]
    return f"{base}-{word}"


@given(st.integers(min_value=20, max_value=99))
def test_english_session_ordinals(number: int) -> None:
    assert session_number(english_ordinal(number)) == number
    sentence = f"Requests the Secretary-General to report at its {english_ordinal(number)} session"
    assert requested_session(sentence) == number


@given(st.integers(min_value=60, max_value=99))
def test_french_session_ordinals(number: int) -> None:
    assert session_number(french_ordinal(number)) == number
    sentence = f"Prie le Secrétaire général de lui présenter à sa {french_ordinal(number)} session"
    assert requested_session(sentence) == number


@pytest.mark.skipif(not REAL_FOLDER.is_dir(), reason="../shared/corpus/resolutions absent")
def test_real_cooperation_resolutions_read_as_mandates() -> None:
    # Read off the real texts: A/RES/77/13 (CSTO) cites A/77/277-S/2022/606 and asks, in
    # paragraph 8, for a report at the seventy-ninth session; A/RES/79/9 (OIC) paragraph 29
    # asks for the eighty-first and cites A/79/302-S/2024/600.
    expected = {
        "A-RES-77-13_en.xml": (("CSTO",), "A/77/277", 79, 8),
        "A-RES-77-13_fr.xml": (("CSTO",), "A/77/277", 79, 8),
        "A-RES-79-9_en.xml": (("OIC",), "A/79/302", 81, 29),
        "A-RES-75-16_fr.xml": (("OIC",), "A/75/345", 77, 25),
    }
    for name, (organizations, edition, session, paragraph) in expected.items():
        data = (REAL_FOLDER / name).read_bytes()
        resolution = parse_resolution_bytes(data, name=name, symbol=None, language=None)
        mandate = read_mandate(resolution, symbol=resolution.symbol, language=resolution.language)
        assert (
            mandate.organization_ids,
            mandate.cites_edition,
            mandate.requested_session,
            mandate.request_paragraph,
        ) == (organizations, edition, session, paragraph), name


def test_status_lists_the_open_coverage(warehouse: tuple[Path, list[str]]) -> None:
    db, _ = warehouse
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "Mandate coverage of A/77/277: 1 mandated, not reported; 21 reported without a "
        "current mandate" in lines
    )
    assert (
        "  CPLP: mandated, not reported (A/RES/75/31 para. 4 asked for a report at session 77)"
        in lines
    )
    assert (
        "  AU: reported without a current mandate (section paras. 5-32; no resolution loaded)"
        in (lines)
    )
    state = runner.invoke(app, ["status", "--db", str(db), "--json"])
    found = json.loads(state.output)["mandate_coverage"]
    assert found[0] == {
        "edition": "A/77/277",
        "organization_id": "CPLP",
        "status": "mandated, not reported",
        "resolution_symbol": "A/RES/75/31",
        "request_paragraph": 4,
        "requested_session": 77,
        "paragraph_numbers": [],
    }


def test_digest_of_the_new_edition_carries_its_mandate_coverage(
    warehouse: tuple[Path, list[str]], tmp_path: Path
) -> None:
    from notify.mailing import build_for
    from warehouse.diff.edition_diff import diff_editions
    from warehouse.load.read_back import read_report

    db, _ = warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        diff = diff_editions(read_report(con, "A/73/328", "fr"), read_report(con, "A/77/277", "fr"))
        digest = build_for(con, diff, "fr")
    finally:
        con.close()
    text = digest.text
    assert "MANDATES BEHIND A/77/277" in text
    assert (
        "- Community of Portuguese-speaking Countries (CPLP): mandated, not reported: "
        "A/RES/75/31 ¶ 4 asked for a report at session 77; A/77/277 has no section for it"
    ) in text
    # The largest sections without a mandate first: AU (28 paragraphs), then ASEAN (12).
    assert (
        "- African Union (AU): reported without a current mandate; evidence A/77/277 ¶ 5–32\n"
        "- Association of Southeast Asian Nations (ASEAN): reported without a current "
        "mandate; evidence A/77/277 ¶ 36–47\n"
    ) in text
    # The email shows three of the 21 sections without a mandate; the report all of them.
    assert "… and 18 more reported without a current mandate: " in text
    assert len(text.splitlines()) <= 100  # the real pair's email, mandates and all
    assert "Mandates behind A/77/277" in digest.html and "mandated, not reported" in digest.html


# The whole calibration bench over ../shared (as `make real-corpus`): in `make test` only.
@pytest.mark.integration
@pytest.mark.skipif(not REAL_FOLDER.is_dir(), reason="../shared/corpus/resolutions absent")
def test_real_corpus_bench_prints_the_mandates(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.real_corpus import mandate_problems

    assert mandate_problems(REAL_FOLDER) == []
    lines = capsys.readouterr().out.splitlines()
    # A/RES/75/16 (OIC) cites A/75/345 and asks for the 77th session: answered by the bundled
    # A/77/277, whose OIC section has 4 paragraphs; A/RES/77/13 cites that edition.
    assert "A/RES/75/16\t2020-11-23\tOIC\tA/75/345\t-\t77\tA/77/277\t4" in lines
    assert "A/RES/77/13\t2022-11-21\tCSTO\tA/77/277\t4\t79\t-\t-" in lines
