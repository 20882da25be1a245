"""A cited resolution served under another symbol is refused: a local server answers
S/RES/1809 (2008), which the 2018 edition cites, with another Council resolution's PDF
(S/RES/2033 (2012) on its masthead). The run fails naming both symbols, records that fetch
as failed, and stores nothing under either symbol; the genuine resolution it also cites is
loaded as before."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.nightly import RunFailed, nightly
from tests.conftest import EDITION_2018
from tests.pdf_render import RenderOptions, render_pdf
from tests.test_flow_remote import FAST_HTTP, GA_RESOLUTION_EN, resolution_pdf
from tests.unserver import UNServer

pytestmark = pytest.mark.timeout(240)

EDITION = "A/73/328-S/2018/592"
ASKED = "S/RES/1809(2008)"
# Another Council resolution, laid out as the ODS serves one (its words are this test's).
PLANTED = resolution_pdf(
    [
        "Nations Unies S/RES/2033 (2012)",
        "Conseil de sécurité Distr. générale",
        "12 janvier 2012",
        "12-20385 (F)",
        "Résolution 2033 (2012)",
        "Adoptée par le Conseil de sécurité à sa 6702e séance, le",
        "12 janvier 2012",
        "Le Conseil de sécurité,",
        "Rappelant sa résolution 1809 (2008),",
        "1. Se félicite de la coopération avec l'Union africaine ;",
        "2. Décide de rester saisi de la question.",
    ]
)


def _edition_pdf(folder: Path) -> bytes:
    from extractors.readers.route import read_file

    blocks, _ = read_file(EDITION_2018)
    path = folder / "A-73-328.pdf"
    render_pdf(blocks, path, RenderOptions(symbols=("A/73/328", "S/2018/592"), job_number="18-1"))
    return path.read_bytes()


def test_a_cited_resolution_printing_another_symbol_is_a_failure_naming_both(
    prefect_harness, tmp_path: Path
) -> None:
    db_path = tmp_path / "data" / "cw.duckdb"
    with UNServer() as server:
        server.add_document("A/73/328", "fr", _edition_pdf(tmp_path))
        server.add_document(ASKED, "fr", PLANTED)
        server.add_document("A/RES/72/273", "en", GA_RESOLUTION_EN)
        with pytest.raises(RunFailed) as failed:
            nightly(
                source=server.base_url,
                db_path=str(db_path),
                outbox_dir=str(tmp_path / "outbox"),
                reports_dir=str(tmp_path / "reports"),
                editions=[EDITION],
                languages=["fr"],
                discover=False,
                http=FAST_HTTP,
            )
    assert f"fetched as {ASKED} but it prints S/RES/2033(2012): another document" in str(
        failed.value
    )
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        documents = con.execute("SELECT symbol, kind FROM documents ORDER BY symbol").fetchall()
        resolutions = con.execute("SELECT symbol FROM resolutions ORDER BY symbol").fetchall()
        fetched = con.execute(
            "SELECT outcome, error FROM fetches WHERE symbol = ? AND language = 'fr'", [ASKED]
        ).fetchall()
        (failures,) = con.execute("SELECT failures FROM run_manifests").fetchone()
    finally:
        con.close()
    assert documents == [("A/73/328", "report"), ("A/RES/72/273", "resolution")]
    assert resolutions == [("A/RES/72/273",)]
    assert [outcome for outcome, _ in fetched] == ["failed"]
    assert "S/RES/2033(2012)" in fetched[0][1] and ASKED in fetched[0][1]
    assert any("prints S/RES/2033(2012)" in failure for failure in failures)


def test_a_cited_resolution_printing_its_own_symbol_is_taken() -> None:
    from extractors.printed_identity import check_cited_identity

    check_cited_identity("S/RES/1809(2008)", name="x", asked="S/RES/1809(2008)")
    check_cited_identity("A/RES/72/273/Corr.1", name="x", asked="A/RES/72/273")
    check_cited_identity(None, name="x", asked="A/RES/72/273")
