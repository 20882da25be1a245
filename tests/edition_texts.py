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
_ENUMERATOR = re.compile(r"^(?:[IVXLC]+|[A-Z])\.\s+")
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
    paragraphs, headings = {}, {}
    for index, (number, _, body_start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(text)
        lines = text[body_start:end].split("\n")
        trailing: list[str] = []
        while len(lines) > 1 and (not lines[-1].strip() or _is_heading(lines[-1])):
            line = lines.pop().strip().strip("*#").strip()
            if line:
                trailing.insert(0, line)
        paragraphs[number] = " ".join(" ".join(lines).split())
        if trailing:
            headings[number + 1] = " ".join(trailing[-1].split())
    _HEADINGS[symbol] = headings
    return paragraphs


_HEADINGS: dict[str, dict[int, str]] = {}


def _is_heading(line: str) -> bool:
    """A short line without a sentence end, not a footnote call; or a chapter's heading
    ("III. Coopération ... ; coopération ...")."""
    stripped = line.strip().strip("*#").strip()
    bare = _ENUMERATOR.sub("", stripped)
    if bare != stripped:
        return 0 < len(bare) < 400 and not bare.endswith(".")
    return (
        0 < len(bare) < 160
        and not any(mark in bare for mark in ".;:")
        and not bare[-1].isdigit()
        and any(c.isalpha() for c in bare)
    )


def edition_headings(symbol: str) -> dict[int, str]:
    """Paragraph number -> the heading printed just before it (the section it opens)."""
    edition_paragraphs(symbol)
    return _HEADINGS[symbol]


def section_numbers(symbol: str, heading: str) -> list[int]:
    """The paragraphs under the heading that folds to `heading`, up to the next heading."""
    headings, numbers = edition_headings(symbol), sorted(edition_paragraphs(symbol))
    starts = [n for n, printed in headings.items() if fold(printed) == fold(heading)]
    if len(starts) != 1:
        raise LookupError(f"{symbol}: heading {heading!r} printed {len(starts)} times")
    following = [n for n in headings if n > starts[0]]
    stop = min(following) if following else numbers[-1] + 1
    return [n for n in numbers if starts[0] <= n < stop]


def fold(text: str) -> str:
    """Lower case, accents stripped, typographic quotes straight, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES).lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("œ", "oe").replace("æ", "ae").split())


def paragraphs_containing(symbol: str, phrase: str) -> list[int]:
    """Numbers of the edition's paragraphs whose folded text contains the folded `phrase`."""
    wanted = fold(phrase)
    return sorted(n for n, text in edition_paragraphs(symbol).items() if wanted in fold(text))
