"""`coopwatch parse` and `coopwatch ingest` take resolutions through the one derivation path.

The fixtures are the resolution parser's own (tests/test_resolution.py), laid out like the
UN's Akoma Ntoso XML, ODS PDF and a Word file; the expected values are read off them.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import EDITION_2022
from tests.test_resolution import GA_EN, resolution_pdf, sc_1809_docx

runner = CliRunner()

SC_PDF_FR = resolution_pdf(
    [
        [
            "Nations Unies S/RES/2579 (2021)",
            "Conseil de sécurité Distr. générale",
            "21-07711 (F)",
            "Résolution 2579 (2021)",
            "Adoptée par le Conseil de sécurité à sa 8784e séance, le",
            "3 juin 2021",
            "Le Conseil de sécurité,",
            "Rappelant toutes ses résolutions antérieures et les déclarations de",
            "sa présidence concernant la situation au Soudan,",
            "1. Décide de proroger le mandat de la Mission jusqu’au 3 juin 2022 ;",
            "2. Décide de rester activement saisi de la question.",
        ]
    ]
)


FIXTURES = {
    "A-RES-79-10.xml": (GA_EN, "A/RES/79/10", "en", "General Assembly", 2),
    "S-RES-2579.pdf": (SC_PDF_FR, "S/RES/2579(2021)", "fr", "Security Council", 2),
    "S-RES-1809.docx": (sc_1809_docx(), "S/RES/1809(2008)", "en", "Security Council", 2),
}
SHAPE = {
    "kind",
    "symbol",
    "language",
    "organ",
    "title",
    "adopted",
    "meeting",
    "preambular",
    "operative",
    "annex",
    "cites",
    # Symbol-shaped texts the symbol grammar does not know, kept rather than dropped.
    "unknown_cites",
}


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_parse_prints_the_resolution_shape(name: str, tmp_path: Path) -> None:
    data, symbol, language, organ, operative = FIXTURES[name]
    path = tmp_path / name
    path.write_bytes(data)

    result = runner.invoke(app, ["parse", str(path)])

    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert set(printed) == SHAPE
    assert (printed["kind"], printed["symbol"], printed["language"]) == (
        "resolution",
        symbol,
        language,
    )
    assert printed["organ"] == organ
    assert [p["number"] for p in printed["operative"]] == list(range(1, operative + 1))


def test_parse_text_summary_of_a_resolution_and_a_report(tmp_path: Path) -> None:
    path = tmp_path / "ga.xml"
    path.write_bytes(GA_EN)

    resolution = runner.invoke(app, ["parse", str(path), "--text"])
    report = runner.invoke(app, ["parse", str(EDITION_2022), "--text"])

    assert resolution.exit_code == 0, resolution.output
    assert resolution.output.splitlines()[0] == "A/RES/79/10 (en) resolution"
    assert "2 preambular, 2 operative, 0 annex paragraph(s); cites 3 document(s)" in (
        resolution.output
    )
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert lines[0] == "A/77/277 / S/2022/606 (fr) report"
    assert any("Ligue des États arabes" in line for line in lines[1:])


def test_ingest_reads_symbol_and_language_from_the_resolution(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    for name, (data, *_rest) in FIXTURES.items():
        (tmp_path / name).write_bytes(data)
        result = runner.invoke(app, ["ingest", str(tmp_path / name), "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert "resolution loaded" in result.output

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT symbol, language, kind, date::VARCHAR FROM documents ORDER BY symbol"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("A/RES/79/10", "en", "resolution", "2024-11-18"),
        ("S/RES/1809(2008)", "en", "resolution", "2008-04-16"),
        ("S/RES/2579(2021)", "fr", "resolution", "2021-06-03"),
    ]


def test_ingest_of_a_report_still_needs_nothing_but_its_text(tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    result = runner.invoke(app, ["ingest", str(EDITION_2022), "--db", str(db)])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("A/77/277 (fr): loaded; ")


def test_a_resolution_without_a_symbol_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "untitled.txt"
    path.write_text(
        "Resolution adopted by the General Assembly\n\nThe General Assembly,\n\n"
        "Recalling its resolution 77/13,\n\n1. Decides to remain seized of the matter.\n",
        encoding="utf-8",
    )

    result = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "cw.duckdb")])

    assert result.exit_code == 1
    assert "untitled.txt" in result.output and "--symbol" in result.output
    assert not (tmp_path / "cw.duckdb").exists()


def test_ingest_of_a_report_that_states_no_symbol_is_one_clear_line(tmp_path: Path) -> None:
    from tests.conftest import EDITION_2018

    db = tmp_path / "cw.duckdb"
    result = runner.invoke(app, ["ingest", str(EDITION_2018), "--db", str(db)])

    assert result.exit_code == 1
    assert result.output.strip() == (
        f"coopwatch: error: {EDITION_2018}: the text states no document symbol: "
        "give it with --symbol"
    )
    assert not db.exists()
