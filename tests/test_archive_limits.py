"""A DOCX zip bomb is one line naming the document, in bounded memory, and the run goes on.

The bomb is a real Word package whose word/document.xml inflates to 1 GiB from 1 MiB; the
peak memory of `coopwatch parse` on it is measured in a subprocess (before the archive
limits it reached 2.1 GB).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from common.errors import CorruptDocument
from extractors.readers.docx import read_docx_bytes
from extractors.readers.route import read_file
from extractors.readers.zip_limits import ArchiveLimits, check_archive
from flows.cli import app
from flows.nightly import RunFailed, nightly
from tests.conftest import EDITION_2018, PROJECT_DIR
from tests.pdf_render import RenderOptions, render_pdf
from tests.unserver import UNServer
from tests.zip_bomb import write_docx_bomb

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PEAK_RSS_LIMIT_MB = 300
runner = CliRunner()


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return write_docx_bomb(tmp_path_factory.mktemp("bomb") / "bomb.docx")


def small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("1. Un paragraphe numéroté.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_bomb_is_one_megabyte_inflating_to_a_gigabyte(bomb: Path) -> None:
    with zipfile.ZipFile(bomb) as archive:
        member = archive.getinfo("word/document.xml")
    assert bomb.stat().st_size < 1_200_000
    assert member.file_size == 1024**3


def test_reader_refuses_the_bomb_naming_document_and_member(bomb: Path) -> None:
    with pytest.raises(CorruptDocument) as refused:
        read_docx_bytes(bomb.read_bytes(), name="A-77-277_fr.docx")
    assert refused.value.document == "A-77-277_fr.docx"
    assert "archive member word/document.xml inflates to 1073741824 bytes" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_ratio_limit_catches_a_member_under_the_size_limit(tmp_path: Path) -> None:
    small_bomb = write_docx_bomb(tmp_path / "small.docx", inflated_bytes=8 * 1024 * 1024)
    with pytest.raises(CorruptDocument, match=r"word/document.xml inflates \d+ times .*zip bomb"):
        read_docx_bytes(small_bomb.read_bytes(), name="small.docx")


def test_a_real_word_document_is_within_the_limits() -> None:
    check_archive(small_docx(), "ordinary.docx")
    assert read_docx_bytes(small_docx(), name="ordinary.docx")[0].number == 1


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=6000), min_size=1, max_size=4),
    repetitive=st.booleans(),
)
def test_check_archive_refuses_exactly_what_the_limits_forbid(
    sizes: list[int], repetitive: bool
) -> None:
    limits = ArchiveLimits(
        max_member_bytes=4000, max_total_bytes=9000, max_ratio=20.0, ratio_floor_bytes=1000
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, size in enumerate(sizes):
            content = b"a" * size if repetitive else os.urandom(size)
            archive.writestr(f"part{index}.xml", content)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        members = archive.infolist()
    forbidden = (
        any(m.file_size > 4000 for m in members)
        or sum(m.file_size for m in members) > 9000
        or any(m.file_size > 1000 and m.file_size / max(m.compress_size, 1) > 20 for m in members)
    )
    if forbidden:
        with pytest.raises(CorruptDocument, match="archive member"):
            check_archive(buffer.getvalue(), "x.docx", limits)
    else:
        check_archive(buffer.getvalue(), "x.docx", limits)


# Linux copies a parent's peak RSS into the child it forks, so the command is started from
# this small fresh process, whose own peak is far below the limit, and measured there.
MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def test_parse_cli_on_the_bomb_is_one_line_in_bounded_memory(bomb: Path, tmp_path: Path) -> None:
    measured = tmp_path / "measured"
    command = [sys.executable, "-m", "flows.cli", "parse", str(bomb), "--json"]
    finished = subprocess.run(
        [sys.executable, "-c", MEASURE, str(measured), *command],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    exit_code, peak_kib = (int(word) for word in measured.read_text().split())
    lines = finished.stderr.strip().splitlines()
    assert exit_code == 1
    assert finished.stdout == ""
    assert len(lines) == 1
    assert lines[0].startswith(f"coopwatch: error: {bomb}: archive member word/document.xml")
    assert peak_kib / 1024 < PEAK_RSS_LIMIT_MB  # ru_maxrss is in KiB on Linux


def test_ingest_of_the_bomb_writes_nothing(bomb: Path, tmp_path: Path) -> None:
    db = tmp_path / "cw.duckdb"
    result = runner.invoke(app, ["ingest", str(bomb), "--symbol", "A/77/277", "--db", str(db)])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert len(lines) == 1 and "archive member word/document.xml" in lines[0]
    assert not db.exists()


def test_a_bomb_served_over_http_fails_its_document_and_the_run_goes_on(
    bomb: Path, tmp_path: Path, prefect_harness
) -> None:
    blocks, _ = read_file(EDITION_2018)
    pdf = tmp_path / "A-73-328.pdf"
    render_pdf(blocks, pdf, RenderOptions(symbols=("A/73/328", "S/2018/592"), job_number="18-1"))
    with UNServer() as server:
        server.add_document("A/73/328", "fr", pdf.read_bytes())
        server.add_document("A/77/277", "fr", bomb.read_bytes(), content_type=DOCX_TYPE)
        with pytest.raises(RunFailed) as failed:
            nightly(
                source=server.base_url,
                db_path=str(tmp_path / "data" / "cw.duckdb"),
                outbox_dir=str(tmp_path / "outbox"),
                reports_dir=str(tmp_path / "reports"),
                editions=["A/73/328-S/2018/592", "A/77/277-S/2022/606"],
                discover=False,
                fetch_cited=False,
                http={"requests_per_second": 0, "retries": 0, "max_body_bytes": 4_000_000},
            )
    assert "A/77/277" in str(failed.value) and "archive member word/document.xml" in str(
        failed.value
    )
    con = duckdb.connect(str(tmp_path / "data" / "cw.duckdb"), read_only=True)
    try:
        loaded = con.execute("SELECT symbol FROM editions ORDER BY symbol").fetchall()
    finally:
        con.close()
    assert loaded == [("A/73/328",)]
