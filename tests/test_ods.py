"""ODS addressing and body rules, and fetch_document end to end against the UN stand-in."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from extractors.fetch.fetch_document import FetchResult, FetchState, fetch_document, fetch_link
from extractors.fetch.http_client import PoliteClient
from extractors.fetch.official_documents import (
    document_request,
    endpoints_for,
    judge_body,
    language_choice_url,
    or_variant,
    sniff_kind,
    undocs_link,
    viewer_document_url,
)
from extractors.fetch.raw_store import RawStore, sha256_hex
from extractors.model import Block
from tests.pdf_render import RenderOptions, render_pdf
from tests.test_http import small_pdf, test_config
from tests.unserver import UNServer

RESOLUTION = "A/RES/79/10"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Resolution adopted by the General Assembly on 18 November 2024")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def server() -> Iterator[UNServer]:
    with UNServer() as running:
        yield running


@pytest.fixture
def client(server: UNServer) -> Iterator[PoliteClient]:
    with PoliteClient(test_config(server.base_url, read_timeout=0.5, retries=1)) as polite:
        yield polite


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "data")


def fetch(
    client: PoliteClient,
    store: RawStore,
    server: UNServer,
    symbol: str = RESOLUTION,
    language: str = "en",
    previous: FetchState | None = None,
    force: bool = False,
) -> FetchResult:
    return fetch_document(
        client, store, symbol, language, source=server.base_url, previous=previous, force=force
    )


def stored_hashes(store: RawStore) -> list[str]:
    return [entry["sha256"] for entry in store.entries()]


# --- addressing -------------------------------------------------------------------------


def test_document_request_uses_params_and_api_language() -> None:
    url, params = document_request(endpoints_for("un"), "S/RES/2538(2020)", "ch")
    assert url == "https://documents.un.org/api/symbol/access"
    assert params == {"s": "S/RES/2538(2020)", "l": "zh", "t": "pdf"}


def test_undocs_link_spells_chinese_ch() -> None:
    endpoints = endpoints_for("un")
    assert undocs_link(endpoints, "A/79/302", "zh") == "https://undocs.org/ch/A/79/302"
    assert undocs_link(endpoints, "S/RES/1809(2008)", "fr") == (
        "https://undocs.org/fr/S/RES/1809(2008)"
    )
    assert undocs_link(endpoints, "A/79/302") == "https://undocs.org/A/79/302"


def test_endpoints_for_mirror_serves_all_three_at_one_base() -> None:
    endpoints = endpoints_for("http://127.0.0.1:8000/")
    assert endpoints.documents == endpoints.undocs == endpoints.library == "http://127.0.0.1:8000"
    with pytest.raises(ValueError):
        endpoints_for("ftp://mirror")


def test_or_variant_appends_once() -> None:
    assert or_variant("S/RES/84(1950)") == "S/RES/84(1950)(OR)"
    assert or_variant("S/RES/84(1950)(OR)") == "S/RES/84(1950)(OR)"
    assert or_variant("A/C.3/78/L.49/Rev.1") == "A/C.3/78/L.49/Rev.1(OR)"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n...", "pdf"),
        (OLE_MAGIC + b"\0" * 100, "doc"),
        (b"\xffWPC" + b"\0" * 100, "wordperfect"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
        (b"PK\x03\x04 not really a zip", "unknown"),
        (b"plain words", "text"),
        (b"<akomaNtoso xmlns='http://docs.oasis-open.org/legaldocml/ns/akn/3.0'/>", "akn"),
    ],
)
def test_sniff_kind(body: bytes, kind: str) -> None:
    assert sniff_kind(body) == kind


def test_sniff_kind_docx_needs_word_document_part() -> None:
    assert sniff_kind(small_docx()) == "docx"


@pytest.mark.parametrize(
    ("content_type", "accepted"),
    [
        ("application/pdf", True),
        ("application/octet-stream", True),
        ("", True),
        ("text/html; charset=utf-8", False),
        ("application/msword", False),
    ],
)
def test_judge_body_requires_agreeing_content_type(content_type: str, accepted: bool) -> None:
    assert judge_body(small_pdf(), content_type).accepted is accepted


def test_judge_body_refuses_below_size_floor() -> None:
    verdict = judge_body(b"%PDF-1.4 tiny", "application/pdf", min_bytes=1024)
    assert not verdict.accepted and "below 1024" in verdict.reason


def test_viewer_and_choice_pages_are_read_with_links_resolved() -> None:
    viewer = b'<html><body><iframe src="/api/symbol/access?s=A%2F79%2F302&l=en&t=pdf">'
    assert viewer_document_url(viewer, "https://docs.un.org/en/A/79/302") == (
        "https://docs.un.org/api/symbol/access?s=A%2F79%2F302&l=en&t=pdf"
    )
    choice = b'<ul><li><a href="/en/A/79/302">English</a></li><li><a href="/ch/A/79/302">x</a>'
    assert language_choice_url(choice, "https://undocs.org/A/79/302", "zh") == (
        "https://undocs.org/ch/A/79/302"
    )
    assert language_choice_url(choice, "https://undocs.org/A/79/302", "ru") is None


# --- fetch_document against the stand-in -----------------------------------------------


def test_fetch_downloads_and_stores_with_metadata(client, store, server) -> None:
    body = small_pdf()
    server.add_document(RESOLUTION, "en", body)
    result = fetch(client, store, server)
    assert result.outcome == "downloaded" and result.needs_parse
    assert result.sha256 == sha256_hex(body) and result.bytes == len(body)
    assert result.status == 200 and result.kind == "pdf" and result.error is None
    assert result.etag and result.last_modified
    assert result.url.startswith(f"{server.base_url}/api/symbol/access?s=A%2FRES%2F79%2F10")
    assert result.human_url == f"{server.base_url}/en/A/RES/79/10"
    assert store.read(result.sha256) == body
    (recorded,) = store.metadata(result.sha256)["fetches"]
    assert recorded["symbol"] == RESOLUTION and recorded["outcome"] == "downloaded"


def test_fetch_second_run_is_304_and_downloads_nothing(client, store, server) -> None:
    server.add_document(RESOLUTION, "en", small_pdf())
    first = fetch(client, store, server)
    second = fetch(client, store, server, previous=first.state)
    assert second.outcome == "not_modified" and not second.needs_parse
    assert second.sha256 == first.sha256 and second.bytes == 0
    assert server.document_bodies_served() == 1
    assert server.log[-1].headers["if-none-match"] == first.etag


def test_fetch_same_hash_without_validators_is_unchanged(client, store, server) -> None:
    server.add_document(RESOLUTION, "en", small_pdf())
    first = fetch(client, store, server)
    second = fetch(client, store, server, previous=FetchState(sha256=first.sha256))
    assert second.outcome == "unchanged_hash" and not second.needs_parse
    assert len(store.metadata(first.sha256)["fetches"]) == 1


def test_fetch_force_ignores_validators(client, store, server) -> None:
    server.add_document(RESOLUTION, "en", small_pdf())
    first = fetch(client, store, server)
    forced = fetch(client, store, server, previous=first.state, force=True)
    assert forced.outcome == "downloaded"
    assert "if-none-match" not in server.log[-1].headers
    assert server.document_bodies_served() == 2


def test_fetch_changed_document_is_downloaded_again(client, store, server) -> None:
    served = server.add_document(RESOLUTION, "en", small_pdf("first version"))
    first = fetch(client, store, server)
    served.body = small_pdf("corrected version")
    second = fetch(client, store, server, previous=first.state)
    assert second.outcome == "downloaded" and second.sha256 != first.sha256
    assert sorted(stored_hashes(store)) == sorted([first.sha256, second.sha256])


def test_fetch_unknown_symbol_is_absent_after_or_variant(client, store, server) -> None:
    result = fetch(client, store, server, symbol="S/RES/1809(2008)", language="fr")
    assert result.outcome == "absent" and result.status == 404
    tried = [entry.query["s"][0] for entry in server.requests_to("/api/symbol/access")]
    assert tried == ["S/RES/1809(2008)", "S/RES/1809(2008)(OR)"]
    assert result.error is not None
    for part in ("S/RES/1809(2008)", "[fr]", server.base_url, "HTTP 404"):
        assert part in result.error
    assert stored_hashes(store) == []


def test_fetch_or_variant_found(client, store, server) -> None:
    body = small_pdf("original language only")
    server.add_document("S/RES/84(1950)(OR)", "en", body)
    result = fetch(client, store, server, symbol="S/RES/84 (1950)")
    assert result.outcome == "downloaded" and result.symbol == "S/RES/84(1950)"
    assert "s=S%2FRES%2F84%281950%29%28OR%29" in result.url
    assert store.read(result.sha256) == body


@pytest.mark.parametrize(
    ("behaviour", "body", "content_type", "reason"),
    [
        ("html", small_pdf(), "application/pdf", "HTML page instead of a document"),
        ("empty", small_pdf(), "application/pdf", "empty body"),
        ("ok", b"%PDF-1.4 tiny", "application/pdf", "below 1024"),
        ("ok", small_pdf(), "text/html", "pdf bytes but Content-Type text/html"),
        ("ok", b"\xffWPC" + b"\0" * 4000, "application/octet-stream", "wordperfect body"),
    ],
)
def test_fetch_untrustworthy_200_is_absent_with_reason(
    client, store, server, behaviour, body, content_type, reason
) -> None:
    server.add_document(RESOLUTION, "en", body, content_type=content_type, behaviour=behaviour)
    result = fetch(client, store, server)
    assert result.outcome == "absent" and result.status == 200
    assert reason in result.reason and reason in (result.error or "")
    assert stored_hashes(store) == []


def test_fetch_accepts_docx_bodies_by_magic(client, store, server) -> None:
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    server.add_document(RESOLUTION, "en", small_docx(), content_type=content_type)
    result = fetch(client, store, server)
    assert result.outcome == "downloaded" and result.kind == "docx"


def test_fetch_refuses_word_97_bodies_no_reader_reads(client, store, server) -> None:
    server.add_document(
        RESOLUTION, "en", OLE_MAGIC + b"\0" * 4000, content_type="application/msword"
    )
    result = fetch(client, store, server)
    assert result.outcome == "absent" and "doc body" in (result.error or "")
    assert stored_hashes(store) == []


def test_fetch_retries_429_and_503(client, store, server) -> None:
    server.add_document(RESOLUTION, "en", small_pdf(), behaviour="rate_limited", retry_after="0")
    server.add_document(RESOLUTION, "fr", small_pdf("fr"), behaviour="unavailable_then_ok")
    assert fetch(client, store, server).outcome == "downloaded"
    assert fetch(client, store, server, language="fr").outcome == "downloaded"
    statuses = [entry.status for entry in server.requests_to("/api/symbol/access")]
    assert statuses == [429, 200, 503, 200]


@pytest.mark.parametrize(
    ("behaviour", "options", "reason"),
    [
        ("slow", {"delay": 1.5}, "timed out"),
        ("truncated", {}, "truncated"),
        ("redirect", {"location": "http://169.254.169.254/latest/"}, "not on the allowlist"),
        ("redirect_loop", {}, "redirects"),
        ("huge", {"size": 3_000_000, "declare_length": False}, "exceeds"),
    ],
)
def test_fetch_hostile_answers_fail_and_store_nothing(
    client, store, server, behaviour, options, reason
) -> None:
    server.add_document(RESOLUTION, "en", small_pdf(), behaviour=behaviour, **options)
    result = fetch(client, store, server)
    assert result.outcome == "failed" and result.sha256 is None
    assert reason in result.reason
    assert result.error is not None and RESOLUTION in result.error and "[en]" in result.error
    assert stored_hashes(store) == []


def test_fetch_one_failure_does_not_affect_the_next(client, store, server) -> None:
    server.add_document(RESOLUTION, "en", small_pdf(), behaviour="truncated")
    server.add_document("A/RES/79/9", "en", small_pdf("other"))
    results = [fetch(client, store, server, symbol=s) for s in (RESOLUTION, "A/RES/79/9")]
    assert [result.outcome for result in results] == ["failed", "downloaded"]


def test_fetch_bad_symbol_fails_without_request(client, store, server) -> None:
    result = fetch(client, store, server, symbol="not a symbol")
    assert result.outcome == "failed" and "not a UN symbol" in (result.error or "")
    assert server.log == []


def test_fetch_chinese_asks_api_for_zh(client, store, server) -> None:
    server.add_document(RESOLUTION, "zh", small_pdf("zh"))
    result = fetch(client, store, server, language="zh")
    assert result.outcome == "downloaded"
    assert result.human_url == f"{server.base_url}/ch/A/RES/79/10"


def test_fetch_edition_by_joint_symbol(client, store, server, tmp_path: Path) -> None:
    blocks = [
        Block(kind="heading", text="I. Introduction", level=1),
        Block(kind="numbered", number=1, text="Le présent rapport est soumis en application."),
    ]
    options = RenderOptions(symbols=("A/77/277", "S/2022/606"), job_number="22-12374")
    rendered = render_pdf(blocks, tmp_path / "edition.pdf", options)
    body = rendered.path.read_bytes()
    server.add_document("A/77/277", "fr", body)
    result = fetch(client, store, server, symbol="A/77/277\u2013S/2022/606", language="fr")
    assert result.outcome == "downloaded"
    assert result.symbols == ("A/77/277", "S/2022/606")
    assert result.to_row()["symbols"] == "A/77/277-S/2022/606"
    assert store.read(result.sha256) == body


# --- undocs.org links --------------------------------------------------------------------


def test_fetch_link_follows_redirect_and_viewer_iframe(client, store, server) -> None:
    body = small_pdf()
    server.add_document(RESOLUTION, "fr", body)
    link = f"{server.base_url}/fr/{RESOLUTION}"
    result = fetch_link(client, store, link, RESOLUTION, "fr", previous=None)
    assert result.outcome == "downloaded" and store.read(result.sha256) == body
    assert [entry.path for entry in server.log] == [
        f"/fr/{RESOLUTION}",
        f"/viewer/fr/{RESOLUTION}",
        "/api/symbol/access",
    ]


def test_fetch_link_without_language_uses_choice_page(client, store, server) -> None:
    server.add_document(RESOLUTION, "zh", small_pdf("zh"))
    link = f"{server.base_url}/{RESOLUTION}"
    result = fetch_link(client, store, link, RESOLUTION, "zh", previous=None)
    assert result.outcome == "downloaded"
    assert server.log[1].path == f"/ch/{RESOLUTION}"
    assert server.log[-1].query["l"] == ["zh"]


def test_fetch_link_unknown_document_is_absent(client, store, server) -> None:
    link = f"{server.base_url}/fr/A/RES/1/1"
    result = fetch_link(client, store, link, "A/RES/1/1", "fr", previous=None)
    assert result.outcome == "absent" and "HTTP 404" in result.reason
