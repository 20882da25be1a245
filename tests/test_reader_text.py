"""Text inputs: decoding refuses empty and binary files by name (extractors/readers/text.py),
the Markdown reader's blocks on the bundled 2018 edition (extractors/readers/markdown.py),
and the layout cues the text readers share (extractors/readers/layout.py).

Expected blocks read in corpus/A-73-328_fr.md: the summary heading "Résumé", chapter I
"Introduction" with paragraphs 1-3 (paragraph 3 links 58/316 and A/71/160-S/2016/621),
chapter II and its first sub-heading "Union africaine" above paragraph 4.
"""

from __future__ import annotations

import pytest

from common.errors import EmptyDocument, NotText
from extractors.readers.layout import (
    ends_sentence,
    furniture_reason,
    looks_like_chapter_heading,
    looks_like_heading,
    page_from_footer,
)
from extractors.readers.markdown import read_markdown
from extractors.readers.text import decode_text
from tests.conftest import EDITION_2018


def test_decode_text_reads_utf8_and_refuses_empty_and_binary() -> None:
    assert decode_text("\ufeffCoopération".encode(), "a.txt") == "Coopération"
    with pytest.raises(EmptyDocument, match="a.txt"):
        decode_text(b"  \n", "a.txt")
    with pytest.raises(NotText, match="binary"):
        decode_text(b"abc\x00def", "b.txt")
    with pytest.raises(NotText, match="not UTF-8"):
        decode_text("café".encode("latin-1"), "c.txt")


def test_markdown_reader_on_the_2018_edition() -> None:
    blocks = read_markdown(EDITION_2018.read_text(encoding="utf-8"), name=str(EDITION_2018))
    headings = [(b.level, b.text) for b in blocks if b.kind == "heading"]
    assert (2, "Résumé") in headings and (1, "I. Introduction") in headings
    assert (2, "Union africaine") in headings
    numbered = [b for b in blocks if b.kind == "numbered"]
    assert [b.number for b in numbered[:4]] == [1, 2, 3, 4]
    assert numbered[2].links == ("58/316", "A/71/160-S/2016/621")
    assert numbered[-1].number == 101


def test_layout_cues() -> None:
    assert looks_like_chapter_heading("II. Coopération entre l'Organisation des Nations Unies")
    assert not looks_like_chapter_heading("4. Compte tenu du rang de priorité")
    assert looks_like_heading("Union africaine")
    assert ends_sentence("la coopération continue.") and not ends_sentence("la coopération")
    assert page_from_footer("18-13588 3/24") == 3
    assert furniture_reason("18-13588") == "footer (job number)"
    assert furniture_reason("Union africaine") is None
