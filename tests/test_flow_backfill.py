"""A backfill of several editions stores every diff but mails one digest: the newest one."""

from __future__ import annotations

import email
import shutil
from pathlib import Path

import duckdb
import yaml

from flows.nightly import nightly
from tests.conftest import CORPUS_DIR


def _three_edition_corpus(folder: Path) -> Path:
    """The bundled corpus plus a 2024 edition: the 2022 text without its SCO section."""
    shutil.copytree(CORPUS_DIR, folder)
    text = (folder / "A-77-277_fr.pdf.txt").read_text(encoding="utf-8")
    start = text.index("  Organisation de Shanghai pour la coopération")
    end = text.index(" III. Observations et recommandations")
    # A real 2024 edition prints its own symbols in its running header.
    text = text.replace("A/77/277 \n\nS/2022/606", "A/79/302 \n\nS/2024/600")
    (folder / "A-79-302_fr.pdf.txt").write_text(text[:start] + text[end:], encoding="utf-8")
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["editions"].append(
        {
            "symbols": ["A/79/302", "S/2024/600"],
            "language": "fr",
            "year": 2024,
            "file": "A-79-302_fr.pdf.txt",
            "format": "pdf-text",
        }
    )
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return folder


def test_backfill_mails_only_the_newest_pair(prefect_harness, tmp_path: Path) -> None:
    corpus = _three_edition_corpus(tmp_path / "corpus")
    result = nightly(
        source="bundled",
        db_path=str(tmp_path / "cw.duckdb"),
        outbox_dir=str(tmp_path / "outbox"),
        reports_dir=str(tmp_path / "reports"),
        corpus_dir=str(corpus),
    )
    assert result["counts"]["parsed"] == 3
    con = duckdb.connect(str(tmp_path / "cw.duckdb"), read_only=True)
    try:
        pairs = con.execute(
            "SELECT DISTINCT old_symbol, new_symbol FROM change_events ORDER BY 1"
        ).fetchall()
        sco = con.execute(
            "SELECT change FROM change_events WHERE old_symbol = 'A/77/277' "
            "AND kind = 'organization' AND subject = 'SCO'"
        ).fetchall()
    finally:
        con.close()
    assert pairs == [("A/73/328", "A/77/277"), ("A/77/277", "A/79/302")]
    assert sco == [("vanished",)]
    emails = list((tmp_path / "outbox").glob("*.eml"))
    assert len(emails) == 1
    subject = email.message_from_bytes(emails[0].read_bytes())["Subject"]
    assert "A/79/302" in subject and "A/77/277" in subject
