"""A fetched edition is the document asked for: its running header's symbol and its text's
language are compared with what was fetched, and another document is refused, naming both.

The 2022 edition is rendered as a UN PDF (running header `A/77/277` and `S/2022/606` on
every page) and served as if it were other symbols and languages.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extractors.documents import parse_document
from extractors.fetch.sources import DocumentRef, FetchedDocument
from extractors.printed_identity import WrongDocument
from extractors.readers.route import read_file
from tests.conftest import EDITION_2018, EDITION_2022
from tests.pdf_render import RenderOptions, render_pdf


@pytest.fixture(scope="module")
def edition_2022_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    blocks, _ = read_file(EDITION_2022)
    path = tmp_path_factory.mktemp("pdf") / "A-77-277.pdf"
    render_pdf(blocks, path, RenderOptions(symbols=("A/77/277", "S/2022/606")))
    return path.read_bytes()


def _fetched(data: bytes, symbols: tuple[str, ...], language: str = "fr") -> FetchedDocument:
    url = f"https://documents.un.org/{symbols[0]}/{language}"
    return FetchedDocument(
        ref=DocumentRef(symbols=symbols, language=language),
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        source_url=url,
        source_path=None,
    )


def test_another_report_served_under_a_symbol_is_refused_naming_both(
    edition_2022_pdf: bytes,
) -> None:
    with pytest.raises(WrongDocument) as refused:
        parse_document(_fetched(edition_2022_pdf, ("A/75/345", "S/2020/898")))
    message = str(refused.value)
    assert "fetched as A/75/345-S/2020/898" in message
    assert "prints A/77/277-S/2022/606" in message


@pytest.mark.parametrize(
    "symbols",
    [("A/77/277", "S/2022/606"), ("A/77/277",), ("A/77/277/Corr.1",), ("S/2022/606",)],
    ids=["joint masthead", "the General Assembly symbol", "a corrigendum", "the Council's"],
)
def test_the_edition_itself_is_not_a_mismatch(
    edition_2022_pdf: bytes, symbols: tuple[str, ...]
) -> None:
    derived = parse_document(_fetched(edition_2022_pdf, symbols))
    assert derived.report.symbols == symbols


def test_another_language_version_is_refused(edition_2022_pdf: bytes) -> None:
    with pytest.raises(WrongDocument, match="fetched in 'en' but its text is in 'fr'"):
        parse_document(_fetched(edition_2022_pdf, ("A/77/277", "S/2022/606"), language="en"))


def test_a_text_printing_no_symbol_is_taken_as_it_comes() -> None:
    data = Path(EDITION_2018).read_bytes()  # Markdown: no running header
    fetched = _fetched(data, ("A/73/328",))
    fetched = FetchedDocument(fetched.ref, data, fetched.sha256, None, "A-73-328_fr.md")
    assert parse_document(fetched).report.symbols == ("A/73/328",)


def _text_edition(masthead: str, name: str) -> FetchedDocument:
    """The 2018 edition's text (which prints no symbol) under a masthead of our choosing, as
    a text form without running headers."""
    data = (masthead + "\n\n").encode() + Path(EDITION_2018).read_bytes()
    fetched = _fetched(data, ("A/73/328", "S/2018/592"))
    return FetchedDocument(fetched.ref, data, fetched.sha256, None, name)


@pytest.mark.parametrize("name", ["A-73-328_fr.md", "A-73-328_fr.txt"])
def test_a_text_form_is_checked_by_its_masthead(name: str) -> None:
    with pytest.raises(WrongDocument) as refused:
        parse_document(_text_edition("Nations Unies A/75/345–S/2020/898", name))
    assert "fetched as A/73/328-S/2018/592 but it prints A/75/345-S/2020/898" in str(refused.value)


@pytest.mark.parametrize(
    "masthead",
    [
        "Nations Unies A/73/328–S/2018/592",
        "Nations Unies A/73/328/Corr.1",
        "Nations Unies S/2018/592",
        "Nations Unies A/73/328\nS/2018/592",
    ],
    ids=["joint masthead", "a corrigendum", "one of the two symbols", "one symbol a line"],
)
def test_a_text_masthead_of_the_edition_is_not_a_mismatch(masthead: str) -> None:
    derived = parse_document(_text_edition(masthead, "A-73-328_fr.md"))
    assert derived.report.symbols == ("A/73/328", "S/2018/592")
