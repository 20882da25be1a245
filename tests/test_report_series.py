"""A kind of document is data: a second report series is one entry in
extractors/report/series.yaml (here a toy series, "Partnerships between the United Nations
and river basin organizations", added to a copy of the file) and runs end to end from a
bundled-like corpus folder; the parser's version follows the reference data it used.

The toy editions below were written for this test: what is expected of them (title, the
chapter that is one organization's section, paragraphs per section) is read off the texts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import extractors.report.report_parser as report_parser
from extractors.derive import derive_document
from extractors.documents import parse_document
from extractors.enrich.reference_data import REFERENCE_DIR
from extractors.fetch.http_settings import client_config
from extractors.fetch.sources import DocumentRef, FetchedDocument, bundled_documents, read_bundled
from extractors.report import series
from extractors.report.editions import load_editions, series_of, series_titles
from extractors.report.parser_version import CODE_VERSION, parser_version
from extractors.report.report_parser import parse_report_bytes
from flows.nightly import nightly
from pipeline.edition_planning import plan_editions
from pipeline.fetch_acceptance import select_changed
from pipeline.fetch_session import RemoteSession
from tests.unserver import LibraryRecord, UNServer
from warehouse.db.schema import connect
from warehouse.diff.compare_loaded import Compared, compare_touched_editions
from warehouse.load.store_derived import ToStore, store_derived
from warehouse.runs.fetch_state import FetchKnowledge

MAIN_TITLE = "Cooperation between the United Nations and regional and other organizations"
TITLE = "Partnerships between the United Nations and river basin organizations"
DANUBE = "Partnership with the International Commission for the Protection of the Danube River"
TOY_SERIES = f"""
  - id: river_basins
    symbol_pattern: '^A/\\d+/9\\d\\d$'
    titles:
      en: {TITLE}
    editions: toy_editions.yaml
    organization_chapters:
      en: ['^Partnership with (?!basin)']
"""
TOY_EDITIONS = """editions:
  - symbol: A/78/901
    year: 2023
  - symbol: A/80/901
    year: 2025
"""
EDITION = """General Assembly

Distr.: General
{date}
Original: English

{title}

Report of the Secretary-General

I. Introduction

1. The present report is submitted pursuant to resolution {resolution} and covers the period since the previous report.

II. Partnerships with basin commissions

Mekong River Commission

2. The United Nations and the Mekong River Commission held joint meetings on water security and drought.
{mekong}
Niger Basin Authority

{niger}. The Niger Basin Authority and the United Nations Development Programme worked on navigation.

III. {danube}

{danube_number}. The Commission and the Economic Commission for Europe worked on pollution data.

IV. Observations

{last}. Cooperation with basin organizations should continue.
"""
OLDER = EDITION.format(
    date="1 March 2023", title=TITLE, resolution="78/1", mekong="", niger=3, danube=DANUBE,
    danube_number=4, last=5,
)  # fmt: skip
NEWER = EDITION.format(
    date="3 March 2025", title=TITLE, resolution="80/1",
    mekong="\n3. They also agreed a plan on flood warning for the lower basin.\n",
    niger=4, danube=DANUBE, danube_number=5, last=6,
)  # fmt: skip
MANIFEST = """editions:
  - symbols: [A/78/901]
    language: en
    year: 2023
    file: A-78-901_en.md
    format: markdown
  - symbols: [A/80/901]
    language: en
    year: 2025
    file: A-80-901_en.md
    format: markdown
"""


@pytest.fixture
def toy_series(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The series file with the toy series added: data only, no code."""
    folder = tmp_path / "series"
    folder.mkdir()
    shutil.copy(series.SERIES_FILE.with_name("editions.yaml"), folder / "editions.yaml")
    text = series.SERIES_FILE.read_text(encoding="utf-8") + TOY_SERIES
    (folder / "series.yaml").write_text(text, encoding="utf-8")
    (folder / "toy_editions.yaml").write_text(TOY_EDITIONS, encoding="utf-8")
    monkeypatch.setattr(series, "SERIES_FILE", folder / "series.yaml")
    return folder


def test_without_the_entry_the_toy_title_and_chapter_are_not_recognised() -> None:
    report = parse_report_bytes(NEWER.encode(), name="A-80-901_en.md", symbol="A/80/901")
    assert report.title is None
    assert DANUBE not in [section.heading for section in report.sections]


def test_the_toy_series_is_one_data_entry(toy_series: Path) -> None:
    report = parse_report_bytes(NEWER.encode(), name="A-80-901_en.md", symbol="A/80/901")
    assert report.title == TITLE
    assert [(s.heading, s.first_paragraph, s.last_paragraph) for s in report.sections] == [
        ("Mekong River Commission", 2, 3),
        ("Niger Basin Authority", 4, 4),
        (DANUBE, 5, 5),
    ]
    toy = series.load_series()[1]
    assert toy.series_id == "river_basins" and toy.holds("A/80/901")
    assert not series.main_series().holds("A/80/901/Corr.1")
    assert {"A/78/901", "A/80/901"} <= {edition.symbol for edition in load_editions()}


def test_the_toy_series_runs_end_to_end(toy_series: Path, tmp_path: Path, prefect_harness) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    (corpus / "A-78-901_en.md").write_text(OLDER, encoding="utf-8")
    (corpus / "A-80-901_en.md").write_text(NEWER, encoding="utf-8")
    result = nightly(
        source="bundled",
        languages=["en"],
        corpus_dir=str(corpus),
        db_path=str(tmp_path / "cw.duckdb"),
        outbox_dir=str(tmp_path / "outbox"),
        reports_dir=str(tmp_path / "reports"),
    )
    assert result["counts"]["parsed"] == 2
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        titles = con.execute("SELECT symbol, title FROM documents ORDER BY symbol").fetchall()
        sections = con.execute(
            "SELECT heading, paragraph_count FROM sections WHERE symbol = 'A/80/901' "
            "ORDER BY first_paragraph"
        ).fetchall()
        pairs = con.execute("SELECT old_symbol, new_symbol FROM edition_diffs").fetchall()
    finally:
        con.close()
    assert titles == [("A/78/901", TITLE), ("A/80/901", TITLE)]
    assert sections == [("Mekong River Commission", 2), ("Niger Basin Authority", 1), (DANUBE, 1)]
    assert pairs == [("A/78/901", "A/80/901")]


def test_parser_version_is_the_code_version_and_a_hash_of_the_reference_data() -> None:
    assert parser_version() == report_parser.PARSER_VERSION
    assert report_parser.PARSER_VERSION.startswith(CODE_VERSION + "+data.")


def test_editing_areas_yaml_re_derives_loaded_editions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, reference)
    loaded_with = parser_version(reference_dir=reference)
    areas = reference / "areas.yaml"
    text = areas.read_text(encoding="utf-8")
    assert "triggers_fr: [paix, conflit," in text
    areas.write_text(text.replace("triggers_fr: [paix,", "triggers_fr: [paix, pourparlers,", 1))
    edited = parser_version(reference_dir=reference)
    assert edited != loaded_with and edited.startswith(CODE_VERSION + "+data.")
    areas.write_text(text, encoding="utf-8")
    assert parser_version(reference_dir=reference) == loaded_with
    areas.write_text(text.replace("triggers_fr: [paix,", "triggers_fr: [paix, pourparlers,", 1))
    readme = reference / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nMore notes.\n", "utf-8")
    assert parser_version(reference_dir=reference) == edited  # the README derives nothing

    document = FetchedDocument(DocumentRef(("A/77/277",), "fr"), b"body", "sha-1", None, "x")
    states = {("A/77/277", "fr"): ("sha-1", loaded_with)}
    monkeypatch.setattr(report_parser, "PARSER_VERSION", loaded_with)
    assert select_changed([document], states, False)[0] == []
    # The next run's parser derives with the edited data: its version differs, so the
    # loaded edition is parsed and loaded again, with no hand bump.
    monkeypatch.setattr(report_parser, "PARSER_VERSION", edited)
    assert select_changed([document], states, False)[0] == [document]


def test_each_series_is_diffed_along_its_own_chain(toy_series: Path, tmp_path: Path) -> None:
    assert series_of("A/80/901") == series_of("A/78/901") == "river_basins"
    assert series_of("A/77/277-S/2022/606") == series_of("A/81/150") == "cooperation"
    compared = _store_both_series(tmp_path / "cw.duckdb")
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        pairs = con.execute(
            "SELECT old_symbol, new_symbol FROM edition_diffs ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    # By year the four run 2018, 2022, 2023, 2025; never is a 2022 cooperation edition
    # diffed against a 2023 river-basin one.
    assert pairs == [("A/73/328", "A/77/277"), ("A/78/901", "A/80/901")]
    assert sorted((mail.diff.old, mail.diff.new) for mail in compared.to_mail) == pairs


def _store_both_series(path: Path) -> Compared:
    """The bundled French editions and the toy series' two editions, stored and diffed in one
    warehouse; returns what the comparison did."""
    documents = [read_bundled(ref) for ref in bundled_documents(["fr"], None)]
    toy = [
        derive_document(text.encode(), name=f"{symbol}.md", symbol=symbol, language="fr")
        for symbol, text in (("A/78/901", OLDER), ("A/80/901", NEWER))
    ]
    con = connect(path)
    try:
        stored = store_derived(
            con,
            [ToStore(parse_document(document)) for document in documents]
            + [ToStore(derived) for derived in toy],
            run_id="run-1",
        )
        new = {(item.symbol, item.language) for item in stored}
        return compare_touched_editions(con, "fr", new, set(), "run-1")
    finally:
        con.close()


def test_each_edition_says_its_series_and_each_series_has_its_latest_changes(
    toy_series: Path, tmp_path: Path
) -> None:
    _store_both_series(tmp_path / "cw.duckdb")
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        editions = con.execute("SELECT symbol, series FROM editions ORDER BY symbol").fetchall()
        latest = con.execute(
            "SELECT DISTINCT series, old_symbol, new_symbol FROM latest_change_events ORDER BY 1"
        ).fetchall()
        toy_changes = con.execute(
            "SELECT subject, change, old_count, new_count FROM latest_change_events "
            "WHERE series = 'river_basins' AND kind = 'organization'"
        ).fetchall()
    finally:
        con.close()
    assert editions == [
        ("A/73/328", "cooperation"),
        ("A/77/277", "cooperation"),
        ("A/78/901", "river_basins"),
        ("A/80/901", "river_basins"),
    ]
    # The newest diff of each series, not only the newest of all (2023 -> 2025): the main
    # series' 2018 -> 2022 changes stay in view beside the toy series' newer ones.
    assert latest == [
        ("cooperation", "A/73/328", "A/77/277"),
        ("river_basins", "A/78/901", "A/80/901"),
    ]
    # Read off the toy texts: the Mekong River Commission's section (a heading naming no
    # registered organization) grew from paragraph 2 to paragraphs 2 and 3; the Niger and
    # Danube sections kept one paragraph each, so they are unchanged and left out.
    assert toy_changes == [("heading:mekong river commission", "grew", 1, 2)]


def test_editions_loaded_before_the_series_column_are_named_by_the_next_load(
    toy_series: Path, tmp_path: Path
) -> None:
    path = tmp_path / "cw.duckdb"
    con = connect(path)
    try:
        store_derived(
            con,
            [
                ToStore(parse_document(read_bundled(ref)))
                for ref in bundled_documents(["fr"], ["A/73/328"])
            ],
            run_id="run-1",
        )
        # As a file migrated from a CoopWatch without the column holds them.
        con.execute("UPDATE editions SET series = NULL")
        toy = derive_document(OLDER.encode(), name="A-78-901.md", symbol="A/78/901", language="fr")
        store_derived(con, [ToStore(toy)], run_id="run-2")
        editions = con.execute("SELECT symbol, series FROM editions ORDER BY symbol").fetchall()
    finally:
        con.close()
    assert editions == [("A/73/328", "cooperation"), ("A/78/901", "river_basins")]


def test_discovery_asks_the_library_for_each_series_by_its_title(
    toy_series: Path, tmp_path: Path
) -> None:
    assert series_titles() == [(MAIN_TITLE, series.main_series().title_in("fr")), (TITLE,)]
    with UNServer() as server:
        for record_id, symbol, title in (
            (1, "A/81/150-S/2026/500", MAIN_TITLE),
            (2, "A/81/901", TITLE),
            (3, "A/81/902", "Partnerships between the United Nations and the private sector"),
        ):
            server.add_record(
                LibraryRecord(
                    record_id, symbol, f"{title} : report of the Secretary-General", "2026-08-05"
                )
            )
        fast = {"requests_per_second": 0, "retries": 0, "read_timeout": 5.0}
        session = RemoteSession(
            server.base_url, tmp_path, client_config(server.base_url, fast), FetchKnowledge()
        )
        try:
            plan = plan_editions(session, ["en"], None, discover=True)
        finally:
            session.close()
        asked = [entry.query["p"][0] for entry in server.requests_to("/search")]
    assert asked == [f'title:"{MAIN_TITLE}"', f'title:"{TITLE}"']
    assert plan.discovered == ("A/81/150-S/2026/500", "A/81/901")
    assert {"A/81/150", "A/81/901"} <= {ref.symbol for ref in plan.refs}
