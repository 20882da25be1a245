"""Detecting a document's form from its bytes, and refusing files that are not what they claim."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from common.errors import CorruptDocument, DocumentError, EmptyDocument, NotText
from extractors.model import Block
from extractors.readers.sniff import check_form, describe_form, detect_form
from tests.conftest import EDITION_2018, EDITION_2022
from tests.pdf_render import render_pdf


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("1. Texte.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_without_word() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    return buffer.getvalue()


def test_detects_the_bundled_editions() -> None:
    assert detect_form(EDITION_2022.read_bytes(), EDITION_2022.name) == "pdftext"
    assert detect_form(EDITION_2018.read_bytes(), EDITION_2018.name) == "markdown"


def test_detects_text_forms_from_content_not_name() -> None:
    assert detect_form(EDITION_2022.read_bytes(), "edition.md") == "pdftext"
    assert detect_form(EDITION_2018.read_bytes(), "edition.txt") == "markdown"


def test_detects_a_rendered_pdf(tmp_path: Path) -> None:
    rendered = render_pdf([Block("numbered", "Texte.", number=1)], tmp_path / "a.pdf")

    assert detect_form(rendered.path.read_bytes()) == "pdf"


@pytest.mark.parametrize(
    ("content", "form"),
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (b"<!DOCTYPE html>\n<html><body><p>1. Texte</p></body></html>", "html"),
        (b"\xef\xbb\xbf  <html lang='fr'><head></head></html>", "html"),
        (b"<?xml version='1.0'?>\n<!-- page -->\n<html xmlns='x'></html>", "html"),
        (b"<div><h2>I. Introduction</h2><p>1. Texte.</p><p>2. Suite.</p></div>", "html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"**Assembl\xc3\xa9e g\xc3\xa9n\xc3\xa9rale**\n\nvoir [58/316](#)\n", "markdown"),
        (b"Texte \n\n22-12374 4/25 \n\nhttps://undocs.org/fr/A/75/345\n\fsuite", "pdftext"),
    ],
    ids=[
        "empty",
        "blank",
        "html5",
        "html-bom",
        "xhtml",
        "html-fragment",
        "png",
        "garbage",
        "markdown",
        "pdftext",
    ],
)
def test_detect_form(content: bytes, form: str) -> None:
    assert detect_form(content) == form


def test_detects_docx_and_other_zips() -> None:
    assert detect_form(_docx_bytes()) == "docx"
    assert detect_form(_zip_without_word()) == "zip"
    assert detect_form(b"PK\x03\x04 not really a zip") == "binary"


def test_check_form_accepts_matching_names() -> None:
    assert check_form(_docx_bytes(), name="A-77-277_fr.docx") == "docx"
    assert check_form(EDITION_2022.read_bytes(), name=EDITION_2022.name) == "pdftext"


@pytest.mark.parametrize(
    ("content", "name", "error", "cause"),
    [
        (
            b"<!DOCTYPE html><html><head><title>Access denied</title></head></html>",
            "A-77-277_fr.pdf",
            CorruptDocument,
            "named as a PDF but the content is an HTML page",
        ),
        (b"", "A-77-277_fr.pdf", EmptyDocument, "the file is empty"),
        (b"\x00\x01\x02\x03" * 100, "A-77-277_fr.txt", NotText, "binary data"),
        (b"%PDF-1.7\n...", "A-77-277_fr.docx", CorruptDocument, "named as a Word"),
    ],
    ids=["html-named-pdf", "empty", "binary", "pdf-named-docx"],
)
def test_check_form_refuses_with_the_file_name(
    content: bytes, name: str, error: type[DocumentError], cause: str
) -> None:
    with pytest.raises(error, match=f"^{name}: {cause}") as raised:
        check_form(content, name=name)
    assert raised.value.document == name


def test_every_form_has_a_description() -> None:
    forms = ("pdf", "docx", "html", "markdown", "pdftext", "binary", "empty")
    assert len({describe_form(form) for form in forms}) == len(forms)


def test_the_form_table_agrees_with_the_readers_and_the_fetcher() -> None:
    from extractors.fetch.official_documents import ACCEPTED_KINDS
    from extractors.readers.route import REPORT_READERS
    from extractors.readers.sniff import FORMS

    assert set(REPORT_READERS) == {form for form, info in FORMS.items() if info.reads_report}
    assert set(ACCEPTED_KINDS) == {"pdf", "docx", "akn"}
    assert all(FORMS[form].readable for form in ACCEPTED_KINDS)
    assert "doc" not in ACCEPTED_KINDS and not FORMS["doc"].readable
