"""Text normalization in one place: spaces, apostrophes, ligatures, split words, hyphens.

Every reader and matcher goes through these functions so that the same words compare
equal whatever tool extracted them (PDF, Markdown conversion, HTML, DOCX).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000\t"), " "
)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u2032\u00b4\u0060"), "'")
_LIGATURES = {
    ord("\ufb00"): "ff",
    ord("\ufb01"): "fi",
    ord("\ufb02"): "fl",
    ord("\ufb03"): "ffi",
    ord("\ufb04"): "ffl",
    ord("\ufb05"): "st",
    ord("\ufb06"): "st",
}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212"), "-")

# French elided words that a PDF extraction sometimes separates from their apostrophe.
_ELISION_SPACE = re.compile(
    r"\b(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu) +' *(?=\w)", re.IGNORECASE
)
_ELISION_AFTER = re.compile(r"\b(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)' +(?=\w)", re.IGNORECASE)
_MULTISPACE = re.compile(r" {2,}")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)


def normalize_text(text: str) -> str:
    """Return `text` in NFC with one kind of space, apostrophe and hyphen, no ligatures."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_ZERO_WIDTH).translate(_SPACES).translate(_APOSTROPHES)
    text = text.translate(_LIGATURES).translate(_DASHES)
    text = _ELISION_SPACE.sub(lambda m: m.group(1) + "'", text)
    text = _ELISION_AFTER.sub(lambda m: m.group(1) + "'", text)
    return _MULTISPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """A comparison key: normalized, NFKC, lower case, punctuation and dashes as spaces."""
    text = unicodedata.normalize("NFKC", normalize_text(text)).casefold()
    text = re.sub(r"[\u2013\u2014\-'’.,;:()«»\"]+", " ", text)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The words of `text` (letters, with inner hyphens and apostrophes)."""
    return _WORD.findall(text)


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """How often each lower-cased word occurs in a document, to judge whether a joined word is real."""
    vocab: Counter[str] = Counter()
    for text in texts:
        for word in words(text):
            vocab[word.lower()] += 1
            vocab.update(part.lower() for part in re.split(r"[-']", word) if part and part != word)
    return vocab


def join_wrapped(left: str, right: str, vocab: Counter[str]) -> str:
    """Join two wrapped lines, removing a layout hyphen but keeping real compounds.

    `latino-` + `américain` keeps its hyphen (`latinoaméricain` is not a word of the
    document); `coopé-` + `ration` joins because `coopération` is.
    """
    left = left.rstrip()
    right = right.strip()
    if not left:
        return right
    if not right:
        return left
    match = re.search(r"([^\W\d_]+)-$", left)
    if match and right[:1].isalpha():
        head = match.group(1)
        tail = re.match(r"[^\W\d_]+", right)
        joined = (head + (tail.group(0) if tail else "")).lower()
        if vocab[joined] and right[:1].islower():
            return left[:-1] + right
        return left + right
    return f"{left} {right}"


def repair_split_words(text: str, vocab: Counter[str]) -> str:
    """Join words an extraction split with a stray space (`Pré sident` -> `Président`).

    Two tokens are joined only when their concatenation is a word of the document and
    at least one of them occurs nowhere else, so real word pairs are never glued.
    """
    tokens = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if i + 1 < len(tokens):
            nxt = tokens[i + 1]
            left = re.search(r"[^\W\d_]+$", token)
            right = re.fullmatch(r"([^\W\d_]+)[.,;:)]*", nxt)
            if left and right and left.group(0) == token[-len(left.group(0)) :]:
                pieces = (left.group(0).lower(), right.group(1).lower())
                joined = pieces[0] + pieces[1]
                if vocab[joined] and (vocab[pieces[0]] < 2 or vocab[pieces[1]] < 2):
                    out.append(token + nxt)
                    i += 2
                    continue
        out.append(token)
        i += 1
    return " ".join(out)
