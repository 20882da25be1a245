"""The bundled editions' numbered paragraphs read straight from corpus/, apart from the
product's parser, so tests check the warehouse's answers against the documents themselves.

A paragraph is the text from "N. " (N the next number expected, at a line start or after a
space) to the next one, less a trailing heading (a last short line without a sentence end,
such as "Conseil de l'Europe" before the section it opens); lines are joined and spaces
collapsed. Folding for search is done
here by Python's own Unicode tables, not by the warehouse's SQL macro."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
EDITION_FILES = {"A/73/328": "A-73-328_fr.md", "A/77/277": "A-77-277_fr.pdf.txt"}
_TRAILING_HEADING = re.compile(r"(?<=[.;:»)])\s*\n(?:[^\S\n]*\n)*[^\S\n]*[*#\s]*[^.;:\n]{1,160}$")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


@functools.cache
def edition_paragraphs(symbol: str) -> dict[int, str]:
    """Paragraph number -> text (spaces collapsed) of the bundled edition `symbol`."""
    text = (CORPUS_DIR / EDITION_FILES[symbol]).read_text(encoding="utf-8")
    starts: list[tuple[int, int, int]] = []
    position, number = 0, 1
    while True:
        found = re.compile(rf"(?:^|(?<=\s)){number}\.\s+(?=\S)", re.MULTILINE).search(
            text, position
        )
        if found is None:
            break
        starts.append((number, found.start(), found.end()))
        position, number = found.end(), number + 1
    paragraphs = {}
    for index, (number, _, body_start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        body = text[body_start:end].rstrip()
        heading = _TRAILING_HEADING.search(body)
        if heading is not None:
            body = body[: heading.start()]
        paragraphs[number] = " ".join(body.split())
    return paragraphs


def fold(text: str) -> str:
    """Lower case, accents stripped, typographic quotes straight, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES).lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("œ", "oe").replace("æ", "ae").split())


def paragraphs_containing(symbol: str, phrase: str) -> list[int]:
    """Numbers of the edition's paragraphs whose folded text contains the folded `phrase`."""
    wanted = fold(phrase)
    return sorted(n for n, text in edition_paragraphs(symbol).items() if wanted in fold(text))
