"""One edition loaded in French and in English is compared language against language, and
the commands take the language from what is loaded.

The edition is `tests/bilingual_edition.py`: written in both languages by hand, rendered as
UN-like PDFs and ingested through the CLI, so the check runs on the rows the real path loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.model import Block
from extractors.report.language_agreement import Disagreement, compare_languages
from flows.cli import app
from tests.bilingual_edition import ENGLISH, FRENCH, SYMBOLS, altered, render_edition
from tests.report_builder import P, S, build_report
from warehouse.db.schema import connect
from warehouse.diff.diff_store import store_diff
from warehouse.diff.edition_diff import diff_editions
from warehouse.load.read_back import read_report

runner = CliRunner()
JOINT = "-".join(SYMBOLS)


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def _ingest(db: Path, folder: Path, language: str, blocks=None, symbol: str = JOINT) -> None:
    path = render_edition(folder, language, blocks)
    result = invoke("ingest", path, "--symbol", symbol, "--lang", language, "--db", db)
    assert result.exit_code == 0, result.output


def _status(db: Path) -> dict:
    result = invoke("status", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_both_languages_of_one_edition_agree(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    _ingest(db, tmp_path, "fr")
    _ingest(db, tmp_path, "en")
    state = _status(db)
    assert state["languages"] == ["en", "fr"]
    assert state["language_agreement"] == [
        {"symbol": SYMBOLS[0], "languages": ["en", "fr"], "paragraphs": 5, "disagreements": []}
    ]
    text = invoke("status", "--db", db).stdout
    assert "Languages loaded: en, fr" in text
    assert f"{SYMBOLS[0]} (en/fr): agree on all 5 paragraphs" in text


def test_an_altered_paragraph_is_a_recognition_defect_with_its_number(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    _ingest(db, tmp_path, "fr")
    # The English ¶3 loses the ECOWAS it names in French.
    english = altered(
        ENGLISH,
        3,
        "The United Nations Development Programme (UNDP) and the African Union Commission "
        "organized a workshop on elections in West Africa.",
    )
    _ingest(db, tmp_path, "en", english)
    (result,) = _status(db)["language_agreement"]
    assert [(d["kind"], d["paragraphs"]) for d in result["disagreements"]] == [("recognition", [3])]
    assert "names AU in en, AU, ECOWAS in fr" in result["disagreements"][0]["detail"]
    text = invoke("status", "--db", db).stdout
    assert "1 disagreement(s)" in text and "recognition defect ¶3" in text


def test_a_paragraph_one_language_lost_is_a_parse_defect(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    # The French text prints ¶4 with no number, so its reader joins it to ¶3.
    french = tuple(
        Block("text", b.text) if b.kind == "numbered" and b.number == 4 else b for b in FRENCH
    )
    _ingest(db, tmp_path, "fr", french)
    _ingest(db, tmp_path, "en")
    (result,) = _status(db)["language_agreement"]
    # The PDF reader takes a number only in sequence, so with "4." lost the French "5." joins
    # ¶3 too: the parse defect names the paragraphs one language lacks, 4 among them.
    parse_defects = [d["paragraphs"] for d in result["disagreements"] if d["kind"] == "parse"]
    assert any(4 in paragraphs for paragraphs in parse_defects), result["disagreements"]
    assert any("in en only, not in fr" in d["detail"] for d in result["disagreements"])


def test_a_paragraph_under_another_section_is_a_parse_defect() -> None:
    french = build_report(
        "A/1/1",
        [S("Union africaine", "AU", [P("a", ("AU",)), P("b", ("AU",))]), S("UE", "EU", [P("c")])],
    )
    english = build_report(
        "A/1/1",
        [S("African Union", "AU", [P("a", ("AU",))]), S("EU", "EU", [P("b", ("AU",)), P("c")])],
    )
    found = compare_languages(french, english)
    assert [(d.kind, d.paragraphs) for d in found] == [("parse", (2,))]
    assert isinstance(found[0], Disagreement) and "¶2" in found[0].describe()


def _english_warehouse(tmp_path: Path) -> Path:
    """Two English editions: the bilingual edition and a later one that no longer names
    ECOWAS in ¶3."""
    db = tmp_path / "cw.duckdb"
    _ingest(db, tmp_path, "en")
    later = altered(
        ENGLISH,
        3,
        "The United Nations Development Programme (UNDP) and the African Union Commission "
        "organized a workshop on elections.",
    )
    later_dir = tmp_path / "later"
    later_dir.mkdir()
    _ingest(db, later_dir, "en", later, symbol="A/81/150-S/2026/512")
    return db


def test_commands_without_lang_work_on_an_english_only_warehouse(tmp_path: Path) -> None:
    db = _english_warehouse(tmp_path)
    result = invoke("diff", SYMBOLS[0], "A/81/150", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    mentions = json.loads(result.stdout)["mentions"]
    assert [(m["id"], m["change"], m["evidence"]["old"]) for m in mentions] == [
        ("ECOWAS", "no_longer_named", [3])
    ]
    assert result.stderr == ""
    state = _status(db)
    assert state["languages"] == ["en"] and len(state["editions"]) == 2
    # The diff a run would have stored, so the preview has a digest to write.
    con = connect(db)
    try:
        english = [read_report(con, symbol, "en") for symbol in (SYMBOLS[0], "A/81/150")]
        store_diff(con, diff_editions(*english), run_id="run-en")
    finally:
        con.close()
    outbox = tmp_path / "outbox"
    previewed = invoke("notify", "--db", db, "--dry-run", "--outbox", outbox)
    assert previewed.exit_code == 0, previewed.output
    assert previewed.stdout.strip().splitlines()[-1] == "1 message(s) written, none sent"
    (message,) = outbox.glob("*.eml")
    assert "Economic Community of West African States" in message.read_text(encoding="utf-8")
    con = connect(db, read_only=True)
    try:
        names = con.execute(
            "SELECT DISTINCT language, name FROM organizations_by_edition "
            "WHERE organization_id = 'AU'"
        ).fetchall()
    finally:
        con.close()
    assert names == [("en", "African Union")]
    exported = invoke("export", "--parquet", tmp_path / "parquet", "--db", db)
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "parquet" / "paragraphs.parquet").exists()


def test_diff_says_which_language_it_shows_when_both_are_loaded(tmp_path: Path) -> None:
    db = _english_warehouse(tmp_path)
    _ingest(db, tmp_path, "fr")
    french_later = tmp_path / "later_fr"
    french_later.mkdir()
    _ingest(db, french_later, "fr", symbol="A/81/150-S/2026/512")
    result = invoke("diff", SYMBOLS[0], "A/81/150", "--db", db)
    assert result.exit_code == 0, result.output
    assert "loaded in en, fr: showing en (--lang fr for the other)" in result.stderr
    french = invoke("diff", SYMBOLS[0], "A/81/150", "--db", db, "--lang", "fr")
    assert french.exit_code == 0 and french.stderr == ""
    preview = invoke("notify", "--db", db, "--dry-run", "--outbox", tmp_path / "outbox")
    assert preview.exit_code == 0, preview.output
    assert "editions loaded in en, fr: showing en (--lang fr for the other)" in preview.stderr
    exported = invoke("export", "--parquet", tmp_path / "parquet", "--db", db)
    assert "editions in en, fr: rows carry their language" in exported.stderr


@pytest.mark.parametrize("language", ["fr", "en"])
def test_fixture_is_the_same_edition_in_both_languages(language: str) -> None:
    blocks = FRENCH if language == "fr" else ENGLISH
    numbers = [b.number for b in blocks if b.kind == "numbered"]
    assert numbers == [1, 2, 3, 4, 5]
