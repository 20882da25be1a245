"""A hostile `--source`: a redirect to another port of the same host is not followed, so
its body is never loaded as an edition nor mailed as a digest; the run fails naming the
document and the refused origin, and the only mail is the operator's failure alert."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.readers.route import read_file
from flows.nightly import RunFailed, nightly
from tests.conftest import EDITION_2018
from tests.pdf_render import RenderOptions, render_pdf
from tests.unserver import UNServer

pytestmark = pytest.mark.timeout(240)


def test_a_redirect_to_another_port_loads_and_mails_nothing(
    tmp_path: Path, prefect_harness
) -> None:
    blocks, _ = read_file(EDITION_2018)
    pdf = tmp_path / "A-73-328.pdf"
    render_pdf(blocks, pdf, RenderOptions(symbols=("A/73/328", "S/2018/592"), job_number="18-1"))
    with UNServer() as source, UNServer() as elsewhere:
        elsewhere.add_document("A/73/328", "fr", pdf.read_bytes())
        location = f"{elsewhere.base_url}/api/symbol/access?s=A/73/328&l=fr&t=pdf"
        source.add_document("A/73/328", "fr", b"", behaviour="redirect", location=location)
        with pytest.raises(RunFailed) as failed:
            nightly(
                source=source.base_url,
                db_path=str(tmp_path / "data" / "cw.duckdb"),
                outbox_dir=str(tmp_path / "outbox"),
                reports_dir=str(tmp_path / "reports"),
                editions=["A/73/328-S/2018/592"],
                discover=False,
                fetch_cited=False,
                http={"requests_per_second": 0, "retries": 0},
            )
    port = elsewhere.base_url.rsplit(":", 1)[1]
    assert f"http://127.0.0.1:{port} is not on the allowlist" in str(failed.value)
    assert "A/73/328" in str(failed.value)
    assert elsewhere.log == []
    con = duckdb.connect(str(tmp_path / "data" / "cw.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
        # The only mail is the operator's alert that the run failed: no change digest.
        mails = con.execute("SELECT old_symbol, new_symbol, body_text FROM outbox").fetchall()
    finally:
        con.close()
    assert [(old, new) for old, new, _ in mails] == [(None, None)]
    assert mails[0][2].startswith("CoopWatch: nightly run failed")
